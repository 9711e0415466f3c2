import { goldenPath } from './template-project';

// The one template installed with the optional Pulumi SDK: its program is type-checked and run under mocks.
goldenPath('web-service', { withPulumi: true });
