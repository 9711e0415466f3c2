import { Rule } from '../../types';
import { flagsRule, flagViolation } from './flags';

export const apiserverEncryption: Rule = flagsRule({
  id: 'control-plane/apiserver-encryption',
  title: 'The API server must encrypt Secrets at rest',
  severity: 'high',
  waivable: false,
  rationale: 'Without an encryption configuration Secrets are stored in etcd in plain text: anyone with an etcd backup or disk image reads every credential of the cluster.',
  remediation: 'Set --encryption-provider-config to the EncryptionConfiguration (provisioned on the node with its key).',
  manifestRemediation: 'Set --encryption-provider-config on the kube-apiserver command to an EncryptionConfiguration file on the node.',
  references: [
    { source: 'CIS', id: '1.2.27' },
  ],
}, 'apiServer', (flags) => (flags.get('encryption-provider-config') ? [] : [flagViolation(flags, 'encryption-provider-config', 'no encryption at rest', 'must name the EncryptionConfiguration')]));
