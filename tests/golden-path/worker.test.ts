import { goldenPath } from './template-project';

goldenPath('worker');
