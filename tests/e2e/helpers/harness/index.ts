export type { ClusterHandle, ClusterOptions } from './cluster';
export { startCluster, stopCluster, sweepStaleDirs, writeKubeconfig } from './cluster';
export type { HttpResponse, RequestOptions } from './http';
export { request } from './http';
export type { ClusterPki } from './pki';
export { ADMIN_GROUP, ADMIN_USER, generatePki, SCHEDULER_USER } from './pki';
export { binDir, binPath, hasBinary, readVersions, runBuild } from './toolchain';
