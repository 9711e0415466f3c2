import { goldenPath } from './template-project';

goldenPath('platform-cluster');
