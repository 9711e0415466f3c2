import { goldenPath } from './template-project';

goldenPath('cron-job');
