import { bestOption, compareOptions, type OptionTally } from '../../src/modules/meetings/timePolls/bestOption';
import { checkTimePollPlan } from '../../src/modules/meetings/timePolls/timePollPlan';
import { TimePoll } from '../../src/modules/meetings/timePolls/timePoll.entity';

const at = (hour: number) => new Date(Date.UTC(2030, 2, 4, hour));
let position = 0;
const option = (id: string, hour: number, yes: number, ifNeeded: number): OptionTally => ({ id, startsAt: at(hour), position: position++, yes, ifNeeded });

describe('the best time-poll option (pure)', () => {
  it('has the most YES + IF_NEEDED, whatever its YES count or time', () => {
    expect(bestOption([option('a', 9, 3, 0), option('b', 10, 1, 3), option('c', 11, 2, 0)])?.id).toBe('b');
  });

  it('breaks a YES + IF_NEEDED tie by the most YES, even against an earlier option', () => {
    expect(bestOption([option('early', 9, 1, 2), option('late', 15, 2, 1)])?.id).toBe('late');
  });

  it('breaks a full tie by the earliest start, not by the order given', () => {
    expect(bestOption([option('late', 15, 2, 1), option('early', 9, 2, 1), option('mid', 12, 2, 1)])?.id).toBe('early');
  });

  it('counts NO answers for nothing: no answers at all is a tie, and the earliest wins', () => {
    expect(bestOption([option('b', 10, 0, 0), option('a', 8, 0, 0)])?.id).toBe('a');
  });

  it("orders options starting together (different lengths) by the creator's order", () => {
    const first = { id: 'first', startsAt: at(9), position: 0, yes: 1, ifNeeded: 0 };
    const second = { id: 'second', startsAt: at(9), position: 1, yes: 1, ifNeeded: 0 };
    expect(bestOption([second, first])?.id).toBe('first');
    expect(compareOptions(first, second)).toBeLessThan(0);
  });

  it('sorts a whole list best first, and has no best option for no options', () => {
    const list = [option('d', 9, 0, 1), option('c', 12, 1, 1), option('a', 14, 2, 1), option('b', 10, 1, 2)];
    expect([...list].sort(compareOptions).map((o) => o.id)).toEqual(['a', 'b', 'c', 'd']);
    expect(bestOption([])).toBeNull();
  });
});

describe('time-poll plans (pure)', () => {
  const now = new Date(Date.UTC(2030, 0, 1, 12));
  const later = (minutes: number) => new Date(now.getTime() + minutes * 60_000);

  it('accepts 2–20 future options and a closing time no later than the earliest', () => {
    const options = [{ startsAt: later(120), durationMinutes: 60 }, { startsAt: later(60), durationMinutes: 15 }];
    expect(checkTimePollPlan({ options, closesAt: later(60) }, now)).toEqual([]);
  });

  it('reports every problem at once, with the field it is on', () => {
    const errors = checkTimePollPlan(
      {
        options: [
          { startsAt: later(60), durationMinutes: 60 },
          { startsAt: now, durationMinutes: 14 },
          { startsAt: later(60), durationMinutes: 60 },
          { startsAt: later(60), durationMinutes: 1441 },
        ],
        closesAt: later(61),
      },
      now,
    );
    expect(errors.map((e) => e.field)).toEqual(['options.1.startsAt', 'options.1.durationMinutes', 'options.2', 'options.3.durationMinutes', 'closesAt']);
    expect(checkTimePollPlan({ options: [{ startsAt: later(60), durationMinutes: 60 }], closesAt: now }, now).map((e) => e.field)).toEqual(['options', 'closesAt']);
  });

  it('closes a poll exactly at closesAt', () => {
    const poll = new TimePoll();
    poll.closesAt = later(10);
    expect(poll.isOpenAt(new Date(poll.closesAt.getTime() - 1))).toBe(true);
    expect(poll.isOpenAt(poll.closesAt)).toBe(false);
    poll.closedAt = now;
    expect(poll.isOpenAt(now)).toBe(false);
  });
});
