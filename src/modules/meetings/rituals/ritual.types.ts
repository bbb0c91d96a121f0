import { connectionType } from '../../../shared/pagination';
import { Ritual, RitualOccurrence } from './ritual.entity';

export const RitualConnection = connectionType('Ritual', Ritual);
export const RitualOccurrenceConnection = connectionType('RitualOccurrence', RitualOccurrence);
