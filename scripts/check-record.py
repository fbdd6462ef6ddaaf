#!/usr/bin/env python3
"""Checks a draw's record (HTML or JSON from `lottery draws record`) with Python's standard library
alone, independently of the lottery's own code and of the page's script (docs/record.md).

Usage: python3 check-record.py RECORD [EMPLOYEE_ID]

It reproduces the pool's digest from the salted hashes, recomputes each draw's winners from its
seed, checks that each winner's id hashes to the pool's entry at their serial, that every
replacement draw's forfeit is in the record, and for a beacon draw that the seed is the round's
randomness and the commitment's digest is right. It does not check the round's BLS signature (the
standard library has no pairing): `lottery verify --record` does."""
import base64, hashlib, json, re, sys, unicodedata

def shown(text):
    # The record's author is not to be trusted: escape what would act on the terminal (controls,
    # bidi overrides, invisible format characters) instead of printing it.
    return ''.join(f'\\u{ord(c):04X}' if unicodedata.category(c) in ('Cc', 'Cf', 'Zl', 'Zp') else c
                   for c in text)

def sha256(data):
    return hashlib.sha256(data).digest()

def load(path):
    text = open(path, encoding='utf-8').read()
    found = re.search(r'<script type="application/json" id="lottery-record">(.*?)</script>', text, re.S)
    return json.loads(found.group(1) if found else text)

def canonical(value):
    return json.dumps(value, sort_keys=True, separators=(',', ':'), ensure_ascii=False)

def serials_of(text):
    serials, previous, delta, scale = [], 0, 0, 1
    for byte in base64.b64decode(text):
        delta += (byte & 0x7F) * scale
        if byte & 0x80:
            scale *= 0x80
            continue
        previous += delta
        serials.append(previous)
        delta, scale = 0, 1
    return serials

def id_hash(salt, employee_id):
    return sha256(bytes.fromhex(salt) + employee_id.encode('utf-8'))[:16]

class Stream:
    """SHA-256(seed ‖ uint32be(attempt) ‖ uint32be(counter)), read as big-endian uint32s."""
    def __init__(self, seed, attempt):
        self.prefix, self.counter, self.block, self.offset = bytes.fromhex(seed) + attempt.to_bytes(4, 'big'), 0, b'', 0
    def uint32(self):
        if self.offset >= len(self.block):
            self.block, self.offset = sha256(self.prefix + self.counter.to_bytes(4, 'big')), 0
            self.counter += 1
        value = int.from_bytes(self.block[self.offset:self.offset + 4], 'big')
        self.offset += 4
        return value
    def below(self, n):
        limit = 2**32 - 2**32 % n
        while True:
            value = self.uint32()
            if value < limit:
                return value % n

def rank_to_serial(rank, excluded):
    serial = rank + 1
    for gone in excluded:  # ascending: each excluded serial at or below the answer pushes it up
        if gone <= serial:
            serial += 1
        else:
            break
    return serial

def check(record):
    problems, pool = [], record['pool']
    serials = serials_of(pool['serials'])
    hashes = base64.b64decode(pool['id_hashes'])
    tickets = base64.b64decode(pool['tickets']) if 'tickets' in pool else bytes([1] * len(serials))
    state = sha256(b'lottery-pool-v1' + bytes.fromhex(pool['salt']))
    for i, serial in enumerate(serials):
        state = sha256(state + serial.to_bytes(4, 'big') + hashes[16 * i:16 * i + 16] + bytes([tickets[i]]))
    if state.hex() != pool['digest'] or len(serials) != pool['count']:
        problems.append(f"pool: the listed people give digest {state.hex()[:12]}…, not {pool['digest'][:12]}…")
    index = {serial: i for i, serial in enumerate(serials)}
    for draw in record['draws']:
        name = draw['draw_id']
        excluded = sorted(draw['excluded'])
        if draw['candidates']['mode'] == 'serial-space':
            space = draw['candidates']['serial_space']
            label, listed = f'serial-space {space}', excluded
            size = space - len([s for s in excluded if s <= space])
            serial_at = lambda rank: rank_to_serial(rank, excluded)
        else:
            gone = set(excluded)
            listed = [s for s in serials if s not in gone]
            label, size = 'serial-list', len(listed)
            serial_at = lambda rank, listed=listed: listed[rank]
        digest = hashlib.sha256('\n'.join([label] + [str(s) for s in listed]).encode()).hexdigest()
        if digest != draw['candidates_digest']:
            problems.append(f'{name}: candidates: digest {digest[:12]}…, not {draw["candidates_digest"][:12]}…')
        if draw['members']['digest'] != pool['digest']:
            problems.append(f'{name}: the draw fixed another pool')
        if not re.fullmatch(r'[0-9a-f]{64}', str(draw['seed'])):
            problems.append(f'{name}: seed: not 64 hexadecimal digits')
            continue
        stream, taken, chosen, winners = Stream(draw['seed'], draw['attempt']), set(draw['taken']), set(), []
        if min(tickets, default=1) < 1:
            problems.append(f'{name}: selection: the pool gives someone no tickets')
            continue
        for _ in range(10_000_000):
            if len(winners) == len(draw['winners']) or size == 0:
                break
            serial, ticket = serial_at(stream.below(size)), stream.below(draw['max_tickets'])
            i = index.get(serial)
            if i is None or serial in taken or serial in chosen or ticket >= tickets[i]:
                continue
            chosen.add(serial)
            winners.append(serial)
        named = [w['lottery_serial'] for w in draw['winners']]
        if winners != named:
            problems.append(f'{name}: selection: the seed gives serials {winners}, the record names {named}')
        for winner in draw['winners']:
            i = index.get(winner['lottery_serial'])
            if i is None or hashes[16 * i:16 * i + 16] != id_hash(pool['salt'], winner['employee_id']):
                problems.append(f"{name}: winners: {winner['employee_id']} is not the person at serial {winner['lottery_serial']}")
        beacon = draw.get('beacon')
        if draw['seed_source'] == 'beacon' or beacon:
            if not beacon:
                problems.append(f'{name}: beacon: no round in the record')
            else:
                if sha256(bytes.fromhex(beacon['round']['signature'])).hex() != draw['seed']:
                    problems.append(f'{name}: beacon: the seed is not the round\'s randomness')
                if hashlib.sha256(canonical(beacon['commitment']).encode()).hexdigest() != beacon['commitment_digest']:
                    problems.append(f'{name}: commitment: its digest is not the one the draw recorded')
                if beacon['round']['round'] != beacon['commitment']['round']:
                    problems.append(f'{name}: beacon: the round is not the committed one')
        replaces = draw.get('replaces')
        if replaces and not any(f['draw_id'] == replaces['draw_id'] and f['employee_id'] == replaces['employee_id']
                                and f['forfeited_at'] < draw['selected_at'] for f in record['forfeits']):
            problems.append(f"{name}: forfeit: it replaces {replaces['employee_id']}, whose forfeit is not in the record")
    return problems

def look_up(record, employee_id):
    pool = record['pool']
    serials, hashes = serials_of(pool['serials']), base64.b64decode(pool['id_hashes'])
    wanted = id_hash(pool['salt'], employee_id)
    found = [s for i, s in enumerate(serials) if hashes[16 * i:16 * i + 16] == wanted]
    if not found:
        return f'{employee_id}: not in the pool'
    serial, notes = found[0], []
    for draw in record['draws']:
        won = any(w['lottery_serial'] == serial for w in draw['winners'])
        status = 'won' if won else 'excluded' if serial in draw['event_excluded'] else \
            'could not win' if serial in draw['excluded'] else 'entered'
        notes.append(f"{draw['draw_id']}: {status}")
    return f'{employee_id}: serial {serial}; ' + '; '.join(notes)

if __name__ == '__main__':
    record = load(sys.argv[1])
    problems = check(record)
    for problem in problems:
        print(shown(f'✖ {problem}'))
    if len(sys.argv) > 2:
        print(shown(look_up(record, sys.argv[2])))
    print('✖ the record does not verify' if problems else f"✔ {len(record['draws'])} draw(s) verify")
    sys.exit(1 if problems else 0)
