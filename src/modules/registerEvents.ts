/** Every module's event kinds, registered once at start (imported for their side effect). */
import './members/member.events';
import './communities/community.events';
import './discussions/discussion.events';
import './resources/resource.events';
import './mentoring/mentoring.events';
import './notifications/notification.events';
import './webhooks/webhook.events';
import './governance/reviews/reviews.events';
import './governance/standards/standards.events';
import './governance/support/support.events';
import './governance/lifecycle/lifecycle.events';
import './governance/roles/roles.events';
import './governance/proposals/proposals.events';
import './meetings/meeting/meeting.events';
import './meetings/surveys/survey.events';
import './meetings/rituals/ritual.events';
