import { goldenPath } from './template-project';

goldenPath('stateful-service');
