import '../meeting/meeting.policy';

/** Recording attendance and posting the summary are the meeting's organisers' (Meeting `organise`, meeting.policy). */
export const ORGANISE_REFUSAL = "Only the meeting's organisers (its community's meeting and event coordinators, lead and staff; the annual meeting: staff) can do this";
