import { goldenPath } from './template-project';

goldenPath('sensitive-service');
