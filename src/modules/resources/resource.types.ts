import { connectionType } from '../../shared/pagination';
import { Resource } from './resource.entity';

export const ResourceConnection = connectionType('Resource', Resource);
