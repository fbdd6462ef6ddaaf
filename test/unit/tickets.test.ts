import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { judgeProposal, pickWeighted, proposalBatch, type Candidate } from '../../src/core/pool';
import {
  DrawRandom,
  MAX_TICKETS,
  ProposalStream,
  type CandidateSpace,
  type Proposal,
} from '../../src/core/selection';

// v3 draws: a uniform proposal over the candidates, kept with probability tickets / T. What a
// person at the party is promised is that each pick takes someone still in the running with a
// chance proportional to their tickets, and that nobody wins twice: the chi-square tests below
// hold thousands of seeded draws to exactly that, against a fake lookup of the people.

interface Person {
  employee_id: string;
  tickets?: number;
}

const seedFor = (label: string, i: number) =>
  createHash('sha256').update(`${label}-${i}`).digest('hex');

function chiSquare(observed: readonly number[], expected: readonly number[]): number {
  return observed.reduce((sum, count, i) => sum + (count - expected[i]!) ** 2 / expected[i]!, 0);
}
// Critical values of the chi-square distribution at p = 0.001: a fair draw fails one of these
// tests once in a thousand runs of a given seed family, and the seeds are fixed, so never.
const CHI_SQUARE_P001 = { 1: 10.828, 2: 13.816, 5: 20.515, 13: 34.528 } as const;

function lookupOf(people: ReadonlyMap<number, Person>) {
  return async (serials: readonly number[]) =>
    new Map(
      serials.flatMap((serial) =>
        people.has(serial) ? [[serial, people.get(serial)!] as const] : [],
      ),
    );
}

async function draw(
  space: CandidateSpace,
  people: ReadonlyMap<number, Person>,
  seed: string,
  wanted: number,
  options: { maxTickets?: number; taken?: ReadonlySet<string>; batch?: number } = {},
) {
  const maxTickets =
    options.maxTickets ?? Math.max(1, ...[...people.values()].map((person) => person.tickets ?? 1));
  const stream = new ProposalStream(space, seed, 1, maxTickets);
  return pickWeighted(
    stream,
    wanted,
    lookupOf(people),
    (person) => options.taken?.has(person.employee_id) ?? false,
    () => options.batch ?? 3,
  );
}

const ids = (winners: readonly Person[]) => winners.map((winner) => winner.employee_id);

describe('ProposalStream', () => {
  const space: CandidateSpace = { mode: 'serial-space', serialSpace: 10, excluded: [3, 7] };

  it('takes a rank, then a ticket number, from the stream for every proposal, whatever comes of it', () => {
    const random = new DrawRandom(seedFor('p', 1), 4);
    const stream = new ProposalStream(space, seedFor('p', 1), 4, 5);
    const ranks = [1, 2, 4, 5, 6, 8, 9, 10];
    for (let i = 0; i < 50; i++) {
      const rank = random.below(8);
      const ticket = random.below(5);
      expect(stream.next()).toEqual({ serial: ranks[rank], ticket });
    }
  });

  it('with one ticket each, still takes the ticket number (always 0), so the stream keeps its pace', () => {
    const random = new DrawRandom(seedFor('p', 2), 1);
    const stream = new ProposalStream(space, seedFor('p', 2), 1, 1);
    for (let i = 0; i < 20; i++) {
      const serial = [1, 2, 4, 5, 6, 8, 9, 10][random.below(8)];
      expect(random.below(1)).toBe(0);
      expect(stream.next()).toEqual({ serial, ticket: 0 });
    }
  });

  it('draws from a serial list by rank', () => {
    const serials = [5, 70, 71, 900];
    const random = new DrawRandom(seedFor('p', 3), 2);
    const stream = new ProposalStream({ mode: 'serial-list', serials }, seedFor('p', 3), 2, 3);
    for (let i = 0; i < 20; i++) {
      const serial = serials[random.below(4)];
      expect(stream.next()).toEqual({ serial, ticket: random.below(3) });
    }
  });

  it('has nothing to propose without candidates', () => {
    const stream = new ProposalStream({ mode: 'serial-list', serials: [] }, seedFor('p', 4), 1, 2);
    expect(stream.size).toBe(0);
    expect(stream.next()).toBeUndefined();
  });

  it.each([0, -1, 1.5, Number.NaN])('refuses a largest ticket count of %d', (maxTickets) => {
    expect(() => new ProposalStream(space, seedFor('p', 5), 1, maxTickets)).toThrow(
      `the largest ticket count must be a whole number from 1, got ${maxTickets}`,
    );
  });

  it('documents a maximum of 10 tickets', () => {
    expect(MAX_TICKETS).toBe(10);
  });
});

describe('judgeProposal', () => {
  const proposal: Proposal = { serial: 4, ticket: 1 };
  const person = { employee_id: 'E4', tickets: 2 };

  it('a serial nobody has is a hole', () => {
    expect(judgeProposal(proposal, undefined, false, new Set())).toEqual({
      serial: 4,
      ticket: 1,
      skipped: 'hole',
    });
  });

  it('someone taken by another draw is passed over, whatever their tickets', () => {
    expect(judgeProposal(proposal, person, true, new Set())).toEqual({
      serial: 4,
      employee_id: 'E4',
      ticket: 1,
      skipped: 'taken',
    });
  });

  it('someone this draw took already is passed over as a repeat', () => {
    expect(judgeProposal(proposal, person, false, new Set(['E4']))).toEqual({
      serial: 4,
      employee_id: 'E4',
      ticket: 1,
      tickets: 2,
      skipped: 'repeat',
    });
  });

  it('a ticket number below the tickets wins; at or above them it is rejected', () => {
    expect(judgeProposal(proposal, person, false, new Set())).toEqual({
      serial: 4,
      employee_id: 'E4',
      ticket: 1,
      tickets: 2,
    });
    expect(judgeProposal({ serial: 4, ticket: 2 }, person, false, new Set())).toEqual({
      serial: 4,
      employee_id: 'E4',
      ticket: 2,
      tickets: 2,
      skipped: 'rejected',
    });
  });

  it('someone without a tickets attribute has one ticket', () => {
    expect(
      judgeProposal({ serial: 4, ticket: 0 }, { employee_id: 'E4' }, false, new Set()).tickets,
    ).toBe(1);
    expect(
      judgeProposal({ serial: 4, ticket: 1 }, { employee_id: 'E4' }, false, new Set()).skipped,
    ).toBe('rejected');
  });
});

describe('proposalBatch', () => {
  it('asks for as many proposals as the missing winners are expected to take', () => {
    // 90,000 candidates, all eligible, tickets 1 to 5 (mean 3): 5/3 proposals a winner.
    const odds = { size: 90_000, eligible: 90_000, maxTickets: 5, meanTickets: 3 };
    expect(proposalBatch(10, odds)).toBe(17);
    expect(proposalBatch(1, odds)).toBe(2);
  });

  it('counts holes and people taken among the candidates', () => {
    expect(proposalBatch(4, { size: 100, eligible: 50, maxTickets: 1, meanTickets: 1 })).toBe(8);
  });

  it('never asks for fewer than are missing, nor more than 200 at once', () => {
    expect(proposalBatch(3, { size: 10, eligible: 10, maxTickets: 1, meanTickets: 2 })).toBe(3);
    expect(proposalBatch(100, { size: 1000, eligible: 10, maxTickets: 10, meanTickets: 1 })).toBe(
      200,
    );
  });

  it('treats a pool with nobody eligible, or no ticket count, as one', () => {
    expect(proposalBatch(2, { size: 5, eligible: 0, maxTickets: 1, meanTickets: 0 })).toBe(10);
  });
});

describe('pickWeighted', () => {
  const people = new Map<number, Person>(
    [1, 2, 4, 5, 6, 8, 9, 10, 11, 12].map((serial) => [
      serial,
      { employee_id: `E${serial}`, tickets: 1 + (serial % 4) },
    ]),
  );
  const space: CandidateSpace = { mode: 'serial-space', serialSpace: 12, excluded: [2] };

  it('never takes anyone twice, and the batch size never changes the outcome', async () => {
    for (let i = 0; i < 40; i++) {
      const seed = seedFor('batch', i);
      const one = await draw(space, people, seed, 6, { batch: 1 });
      const many = await draw(space, people, seed, 6, { batch: 37 });
      expect(new Set(ids(one.winners)).size).toBe(6);
      expect(many).toEqual(one);
    }
  });

  it('records every proposal up to the last winner, each with what came of it', async () => {
    const picked = await draw(space, people, seedFor('record', 1), 4);
    const stream = new ProposalStream(space, seedFor('record', 1), 1, 4);
    const chosen = new Set<string>();
    const expected: Candidate[] = picked.candidates.map(() => {
      const proposal = stream.next()!;
      const candidate = judgeProposal(proposal, people.get(proposal.serial), false, chosen);
      if (!candidate.skipped) chosen.add(candidate.employee_id!);
      return candidate;
    });
    expect(picked.candidates).toEqual(expected);
    expect(picked.candidates.at(-1)?.skipped).toBeUndefined();
    expect(ids(picked.winners)).toEqual([...chosen]);
  });

  it('looks each serial up once, however often it is proposed', async () => {
    const looked: number[] = [];
    const lookup = lookupOf(people);
    await pickWeighted(
      new ProposalStream(space, seedFor('once', 1), 1, 10),
      9,
      async (serials) => {
        looked.push(...serials);
        return lookup(serials);
      },
      () => false,
      () => 5,
    );
    expect(looked.length).toBeGreaterThan(0);
    expect(new Set(looked).size).toBe(looked.length);
  });

  it('passes over people taken by other draws, and stops when nobody left can be taken', async () => {
    const taken = new Set(['E1', 'E4', 'E5', 'E6', 'E8', 'E9', 'E10', 'E11']);
    const picked = await draw(space, people, seedFor('taken', 1), 3, { taken });
    expect(ids(picked.winners).sort()).toEqual(['E12']);
    const looked = new Set(picked.candidates.map((candidate) => candidate.serial));
    expect(looked.size).toBe(11);
    expect(
      picked.candidates
        .filter((candidate) => taken.has(candidate.employee_id ?? ''))
        .every((candidate) => candidate.skipped === 'taken'),
    ).toBe(true);
  });

  it('ends at once when there are no candidates, or nobody in them', async () => {
    expect(await draw({ mode: 'serial-list', serials: [] }, people, seedFor('e', 1), 2)).toEqual({
      winners: [],
      candidates: [],
    });
    const holes = await draw({ mode: 'serial-list', serials: [3, 7] }, people, seedFor('e', 2), 1);
    expect(holes.winners).toEqual([]);
    expect(new Set(holes.candidates.map((candidate) => candidate.skipped))).toEqual(
      new Set(['hole']),
    );
  });

  it('takes everyone when asked for everyone, ending with the last', async () => {
    const picked = await draw(space, people, seedFor('all', 1), 9);
    expect(ids(picked.winners).sort()).toEqual(
      ['E1', 'E4', 'E5', 'E6', 'E8', 'E9', 'E10', 'E11', 'E12'].sort(),
    );
  });
});

describe('fairness with tickets (chi-square, p = 0.001)', () => {
  const DRAWS = 6000;
  // Serials 1, 2 and 3 with 1, 2 and 5 tickets; serial 4 is a hole, serial 5 has won (excluded).
  const people = new Map<number, Person>([
    [1, { employee_id: 'one', tickets: 1 }],
    [2, { employee_id: 'two', tickets: 2 }],
    [3, { employee_id: 'five', tickets: 5 }],
    [5, { employee_id: 'past', tickets: 5 }],
  ]);
  const space: CandidateSpace = { mode: 'serial-space', serialSpace: 5, excluded: [5] };

  it('one winner: people with 1, 2 and 5 tickets win 1/8, 2/8 and 5/8 of the draws', async () => {
    const wins = { one: 0, two: 0, five: 0 } as Record<string, number>;
    for (let i = 0; i < DRAWS; i++) {
      const [winner] = (await draw(space, people, seedFor('tickets', i), 1)).winners;
      wins[winner!.employee_id]!++;
    }
    const observed = [wins.one!, wins.two!, wins.five!];
    expect(
      chiSquare(
        observed,
        [1, 2, 5].map((tickets) => (DRAWS * tickets) / 8),
      ),
    ).toBeLessThan(CHI_SQUARE_P001[2]);
  });

  it('two winners: each ordered pair as often as picking by tickets among those left gives', async () => {
    const counts = new Map<string, number>();
    for (let i = 0; i < DRAWS; i++) {
      const pair = ids((await draw(space, people, seedFor('pairs', i), 2)).winners).join('>');
      counts.set(pair, (counts.get(pair) ?? 0) + 1);
    }
    const tickets = { one: 1, two: 2, five: 5 } as Record<string, number>;
    const pairs = Object.keys(tickets).flatMap((a) =>
      Object.keys(tickets)
        .filter((b) => b !== a)
        .map((b) => [a, b] as const),
    );
    const expected = pairs.map(
      ([a, b]) => DRAWS * (tickets[a]! / 8) * (tickets[b]! / (8 - tickets[a]!)),
    );
    expect([...counts.keys()].every((pair) => pairs.some(([a, b]) => `${a}>${b}` === pair))).toBe(
      true,
    );
    expect(
      chiSquare(
        pairs.map(([a, b]) => counts.get(`${a}>${b}`) ?? 0),
        expected,
      ),
    ).toBeLessThan(CHI_SQUARE_P001[5]);
  });

  it('1 and 2 tickets win 1/3 and 2/3; dropping whoever is rejected would make it 1/4 and 3/4', async () => {
    const two = new Map<number, Person>([
      [1, { employee_id: 'a', tickets: 1 }],
      [2, { employee_id: 'b', tickets: 2 }],
    ]);
    const pair: CandidateSpace = { mode: 'serial-space', serialSpace: 2, excluded: [] };
    let ours = 0;
    let dropping = 0;
    for (let i = 0; i < DRAWS; i++) {
      const seed = seedFor('drop', i);
      if ((await draw(pair, two, seed, 1)).winners[0]?.employee_id === 'a') ours++;
      // The tempting shortcut: walk one shuffled order and skip whoever the ticket rejects. A
      // rejected person never comes back, so `b` also wins every time `a` is rejected first.
      const random = new DrawRandom(seed, 1);
      const order = random.below(2) === 0 ? ['a', 'b'] : ['b', 'a'];
      const first = order[0] === 'a' ? random.below(2) < 1 : random.below(2) < 2;
      if ((first ? order[0] : order[1]) === 'a') dropping++;
    }
    expect(chiSquare([ours, DRAWS - ours], [DRAWS / 3, (2 * DRAWS) / 3])).toBeLessThan(
      CHI_SQUARE_P001[1],
    );
    expect(chiSquare([dropping, DRAWS - dropping], [DRAWS / 3, (2 * DRAWS) / 3])).toBeGreaterThan(
      CHI_SQUARE_P001[1],
    );
    expect(chiSquare([dropping, DRAWS - dropping], [DRAWS / 4, (3 * DRAWS) / 4])).toBeLessThan(
      CHI_SQUARE_P001[1],
    );
  });

  it('one ticket each, 30 % of the serials excluded and a hole: the 13 eligible win equally often', async () => {
    // 20 serials, 6 excluded (won, forfeited or excluded from the event), serial 20 a hole.
    const excluded = [2, 3, 7, 11, 15, 16];
    const everyone = new Map<number, Person>(
      Array.from({ length: 19 }, (_, i) => [i + 1, { employee_id: `P${i + 1}` }] as const),
    );
    const eligible = [...everyone.keys()].filter((serial) => !excluded.includes(serial));
    expect(eligible).toHaveLength(13);
    const wins = new Map(eligible.map((serial) => [`P${serial}`, 0]));
    const draws = 6500;
    for (let i = 0; i < draws; i++) {
      const [winner] = (
        await draw(
          { mode: 'serial-space', serialSpace: 20, excluded },
          everyone,
          seedFor('u', i),
          1,
          {
            // A pool whose largest ticket count is 3 though everyone here has one: still uniform.
            maxTickets: i % 2 === 0 ? 1 : 3,
          },
        )
      ).winners;
      expect(wins.has(winner!.employee_id)).toBe(true);
      wins.set(winner!.employee_id, wins.get(winner!.employee_id)! + 1);
    }
    expect(chiSquare([...wins.values()], Array(13).fill(draws / 13))).toBeLessThan(
      CHI_SQUARE_P001[13],
    );
  });
});

// An independent implementation of v3 draws in Python 3: the proposals from the stream, and what
// each comes to, with the people given as a table. Reads a JSON list of cases on stdin and prints
// each one's winners and candidates.
const PYTHON_WEIGHTED = String.raw`
import hashlib, json, sys

def stream(seed_hex, attempt):
    seed = bytes.fromhex(seed_hex)
    counter = 0
    while True:
        block = hashlib.sha256(seed + attempt.to_bytes(4, 'big') + counter.to_bytes(4, 'big')).digest()
        counter += 1
        for offset in range(0, 32, 4):
            yield int.from_bytes(block[offset:offset + 4], 'big')

def below(values, n):
    limit = 2 ** 32 - 2 ** 32 % n
    while True:
        value = next(values)
        if value < limit:
            return value % n

def draw(case):
    if case['mode'] == 'serial-list':
        serials = case['serials']
    else:
        serials = [s for s in range(1, case['serial_space'] + 1) if s not in set(case['excluded'])]
    people = {int(serial): person for serial, person in case['people'].items()}
    taken = set(case['taken'])
    eligible = [people[s]['id'] for s in serials if s in people and people[s]['id'] not in taken]
    values = stream(case['seed'], case['attempt'])
    winners, candidates = [], []
    while len(winners) < min(case['k'], len(eligible)):
        serial = serials[below(values, len(serials))]
        ticket = below(values, case['max_tickets'])
        person = people.get(serial)
        if person is None:
            candidates.append({'serial': serial, 'ticket': ticket, 'skipped': 'hole'})
            continue
        seen = {'serial': serial, 'employee_id': person['id'], 'ticket': ticket}
        if person['id'] in taken:
            candidates.append(dict(seen, skipped='taken'))
        elif person['id'] in winners:
            candidates.append(dict(seen, tickets=person['tickets'], skipped='repeat'))
        elif ticket < person['tickets']:
            candidates.append(dict(seen, tickets=person['tickets']))
            winners.append(person['id'])
        else:
            candidates.append(dict(seen, tickets=person['tickets'], skipped='rejected'))
    return {'winners': winners, 'candidates': candidates}

print(json.dumps([draw(case) for case in json.load(sys.stdin)]))
`;

interface PythonCase {
  seed: string;
  attempt: number;
  mode: 'serial-space' | 'serial-list';
  serial_space: number;
  excluded: number[];
  serials: number[];
  people: Record<string, { id: string; tickets: number }>;
  taken: string[];
  max_tickets: number;
  k: number;
}

describe('cross-check of v3 draws against an independent Python implementation', () => {
  const staff = (serials: readonly number[], tickets: (serial: number) => number) =>
    Object.fromEntries(
      serials.map((serial) => [String(serial), { id: `S${serial}`, tickets: tickets(serial) }]),
    );
  const cases: PythonCase[] = [
    {
      seed: seedFor('py3', 1),
      attempt: 1,
      mode: 'serial-space',
      serial_space: 30,
      excluded: [2, 9, 10],
      serials: [],
      people: staff(
        Array.from({ length: 28 }, (_, i) => i + 1).filter((serial) => serial !== 17),
        (serial) => 1 + (serial % 5),
      ),
      taken: ['S4'],
      max_tickets: 5,
      k: 8,
    },
    {
      seed: seedFor('py3', 2),
      attempt: 3,
      mode: 'serial-list',
      serial_space: 0,
      excluded: [],
      serials: [3, 17, 18, 900, 44_000],
      people: staff([3, 17, 900, 44_000], (serial) => (serial === 3 ? 10 : 1)),
      taken: [],
      max_tickets: 10,
      k: 3,
    },
    {
      seed: 'ffeeddccbbaa99887766554433221100',
      attempt: 2,
      mode: 'serial-space',
      serial_space: 5,
      excluded: [],
      serials: [],
      people: staff([1, 2, 3, 4, 5], () => 1),
      taken: [],
      max_tickets: 1,
      k: 5,
    },
  ];

  it('gives the same proposals, passes over the same people and takes the same winners', async () => {
    const python = JSON.parse(
      execFileSync('python3', ['-c', PYTHON_WEIGHTED], {
        input: JSON.stringify(cases),
        encoding: 'utf8',
      }),
    ) as { winners: string[]; candidates: Candidate[] }[];
    expect(python).toHaveLength(cases.length);
    for (const [index, c] of cases.entries()) {
      const space: CandidateSpace =
        c.mode === 'serial-list'
          ? { mode: 'serial-list', serials: c.serials }
          : { mode: 'serial-space', serialSpace: c.serial_space, excluded: c.excluded };
      const people = new Map(
        Object.entries(c.people).map(([serial, person]) => [
          Number(serial),
          { employee_id: person.id, tickets: person.tickets },
        ]),
      );
      const picked = await pickWeighted(
        new ProposalStream(space, c.seed, c.attempt, c.max_tickets),
        c.k,
        lookupOf(people),
        (person) => c.taken.includes(person.employee_id),
        (missing) => missing * 2,
      );
      expect({ winners: ids(picked.winners), candidates: picked.candidates }).toEqual(
        python[index],
      );
      expect(picked.candidates.some((candidate) => candidate.skipped === 'rejected')).toBe(
        c.max_tickets > 1,
      );
    }
  });
});

describe('pickWeighted, batch by batch', () => {
  // A scripted stream: what a draw does with each proposal, and what it asks of the stream and
  // the table, is what these tests pin down.
  function scripted(proposals: Proposal[], size = proposals.length) {
    const asked: number[] = [];
    let next = 0;
    return {
      asked,
      stream: {
        size,
        next(): Proposal | undefined {
          asked.push(next);
          return proposals[next++];
        },
      },
    };
  }
  const one = (serial: number): Proposal => ({ serial, ticket: 0 });
  const people = new Map<number, Person>([1, 2, 3, 4].map((s) => [s, { employee_id: `E${s}` }]));

  it('asks each batch for as many proposals as winners are still missing, no more', async () => {
    const { stream, asked } = scripted([one(1), one(1), one(2), one(3), one(4)]);
    const missing: number[] = [];
    const picked = await pickWeighted(
      stream,
      3,
      lookupOf(people),
      () => false,
      (count) => {
        missing.push(count);
        return count;
      },
    );
    expect(ids(picked.winners)).toEqual(['E1', 'E2', 'E3']);
    // 3 missing: E1, E1 again (a repeat), E2; then 1 missing: E3.
    expect(missing).toEqual([3, 1]);
    expect(asked).toHaveLength(4);
  });

  it('does not ask the table again for serials it has already looked up', async () => {
    const { stream } = scripted([one(1), one(2), one(1), one(2), one(3)]);
    const lookups: number[][] = [];
    const lookup = lookupOf(people);
    const picked = await pickWeighted(
      stream,
      3,
      async (serials) => {
        lookups.push([...serials]);
        return lookup(serials);
      },
      () => false,
      () => 2,
    );
    expect(ids(picked.winners)).toEqual(['E1', 'E2', 'E3']);
    expect(lookups).toEqual([[1, 2], [3]]);
  });

  it('ends when the stream runs dry in the middle of a batch or before one', async () => {
    const { stream } = scripted([one(7), one(1)], 10);
    const picked = await pickWeighted(
      stream,
      2,
      lookupOf(people),
      () => false,
      () => 5,
    );
    expect(ids(picked.winners)).toEqual(['E1']);
    expect(picked.candidates).toEqual([
      { serial: 7, ticket: 0, skipped: 'hole' },
      { serial: 1, ticket: 0, employee_id: 'E1', tickets: 1 },
    ]);
  });
});
