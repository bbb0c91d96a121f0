/** Every migration, in order; generated files are listed here because Node 20 cannot glob them. */
import { Migration20261123193751_initial } from './Migration20261123193751_initial';
import { Migration20261123203645_presence_privacy } from './Migration20261123203645_presence_privacy';
import { Migration20261123204004_live_event_log } from './Migration20261123204004_live_event_log';
import { Migration20261123221800_live_stream_positions } from './Migration20261123221800_live_stream_positions';
import { Migration20261123222335_resources } from './Migration20261123222335_resources';
import { Migration20261123225046_search } from './Migration20261123225046_search';
import { Migration20261123230917_mentoring } from './Migration20261123230917_mentoring';
import { Migration20261129144520_mentor_match_index } from './Migration20261129144520_mentor_match_index';
import { Migration20261129151253_mentorship_withdrawn } from './Migration20261129151253_mentorship_withdrawn';
import { Migration20261129151601_mentoring_group_status } from './Migration20261129151601_mentoring_group_status';
import { Migration20261202020000_domain_events } from './Migration20261202020000_domain_events';
import { Migration20261202030000_notifications } from './Migration20261202030000_notifications';
import { Migration20261202031000_mail } from './Migration20261202031000_mail';
import { Migration20261202032000_webhooks } from './Migration20261202032000_webhooks';
import { Migration20261202040000_digest_claims } from './Migration20261202040000_digest_claims';
import { Migration20261202060853_governance_foundation } from './Migration20261202060853_governance_foundation';
import { Migration20261202061811_roles } from './Migration20261202061811_roles';
import { Migration20261202061911_standards_and_support } from './Migration20261202061911_standards_and_support';
import { Migration20261202062253_health_reviews } from './Migration20261202062253_health_reviews';
import { Migration20261202062312_proposals } from './Migration20261202062312_proposals';
import { Migration20261202123115_meetings } from './Migration20261202123115_meetings';
import { Migration20261202130832_meeting_reminders } from './Migration20261202130832_meeting_reminders';

export const migrationsList = [
  { name: 'Migration20261123193751_initial', class: Migration20261123193751_initial },
  { name: 'Migration20261123203645_presence_privacy', class: Migration20261123203645_presence_privacy },
  { name: 'Migration20261123204004_live_event_log', class: Migration20261123204004_live_event_log },
  { name: 'Migration20261123221800_live_stream_positions', class: Migration20261123221800_live_stream_positions },
  { name: 'Migration20261123222335_resources', class: Migration20261123222335_resources },
  { name: 'Migration20261123225046_search', class: Migration20261123225046_search },
  { name: 'Migration20261123230917_mentoring', class: Migration20261123230917_mentoring },
  { name: 'Migration20261129144520_mentor_match_index', class: Migration20261129144520_mentor_match_index },
  { name: 'Migration20261129151253_mentorship_withdrawn', class: Migration20261129151253_mentorship_withdrawn },
  { name: 'Migration20261129151601_mentoring_group_status', class: Migration20261129151601_mentoring_group_status },
  { name: 'Migration20261202020000_domain_events', class: Migration20261202020000_domain_events },
  { name: 'Migration20261202030000_notifications', class: Migration20261202030000_notifications },
  { name: 'Migration20261202031000_mail', class: Migration20261202031000_mail },
  { name: 'Migration20261202032000_webhooks', class: Migration20261202032000_webhooks },
  { name: 'Migration20261202040000_digest_claims', class: Migration20261202040000_digest_claims },
  { name: 'Migration20261202060853_governance_foundation', class: Migration20261202060853_governance_foundation },
  { name: 'Migration20261202061811_roles', class: Migration20261202061811_roles },
  { name: 'Migration20261202061911_standards_and_support', class: Migration20261202061911_standards_and_support },
  { name: 'Migration20261202062253_health_reviews', class: Migration20261202062253_health_reviews },
  { name: 'Migration20261202062312_proposals', class: Migration20261202062312_proposals },
  { name: 'Migration20261202123115_meetings', class: Migration20261202123115_meetings },
  { name: 'Migration20261202130832_meeting_reminders', class: Migration20261202130832_meeting_reminders },
];
