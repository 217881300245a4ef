// DatabaseHandle.listen: PostgreSQL notifications on a connection of their own, which reports when it
// stops listening, however the connection is lost, and listens again once it can. PostgreSQL only
// (DATABASE_URL set); a PGlite handle has no listen, one process holds that database.
import { createServer, type Server, type Socket, connect as tcpConnect } from 'node:net';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestDatabase, type TestDatabase, testBackend } from '../../../test/database.ts';
import { type DatabaseHandle, openPGlite, openPostgres } from './database.ts';

it('offers no listen on PGlite', async () => {
  const handle = await openPGlite('memory://');
  expect(handle.listen).toBeUndefined();
  await handle.close();
});

/** A TCP relay to the PostgreSQL server that can go silent, as a cut network does: no reset, no error. */
function silenceableRelay(target: URL): { server: Server; silence(): void; close(): void } {
  const pairs: [Socket, Socket][] = [];
  const all: Socket[] = [];
  const server = createServer((inbound) => {
    const outbound = tcpConnect(Number(target.port || 5432), target.hostname);
    inbound.pipe(outbound);
    outbound.pipe(inbound);
    inbound.on('error', () => outbound.destroy());
    outbound.on('error', () => inbound.destroy());
    pairs.push([inbound, outbound]);
    all.push(inbound, outbound);
  });
  return {
    server,
    silence: () => {
      for (const [inbound, outbound] of pairs.splice(0)) {
        inbound.unpipe(outbound);
        outbound.unpipe(inbound);
        inbound.pause();
        outbound.pause();
      }
    },
    close: () => {
      for (const socket of all) socket.destroy();
      server.close();
    },
  };
}

describe.runIf(testBackend === 'postgres')('listening for notifications on PostgreSQL', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(() => t?.close());

  const listenTo = (handle: DatabaseHandle, heartbeatMs?: number) => {
    const events: string[] = [];
    const listen = handle.listen;
    if (!listen) throw new Error('a PostgreSQL handle listens');
    const listener = listen(
      'hw_listen_test',
      {
        notify: (payload) => events.push(`notify ${payload}`),
        up: () => events.push('up'),
        down: () => events.push('down'),
      },
      heartbeatMs === undefined ? {} : { heartbeatMs },
    );
    return { events, listener };
  };
  const notify = (payload: string) => sql`SELECT pg_notify('hw_listen_test', ${payload})`.execute(t.db);

  it('hears notices from other connections, reports a terminated connection, and listens again', async () => {
    const { events, listener } = listenTo(t);
    try {
      await listener.firstAttempt;
      expect(listener.listening).toBe(true);
      await notify('one');
      await vi.waitFor(() => expect(events).toEqual(['up', 'notify one']), { timeout: 10_000 });
      await sql`SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                WHERE datname = current_database() AND application_name = 'homeward listen hw_listen_test'`.execute(
        t.db,
      );
      await vi.waitFor(() => expect(events).toEqual(['up', 'notify one', 'down', 'up']), { timeout: 20_000 });
      await notify('two');
      await vi.waitFor(() => expect(events.at(-1)).toBe('notify two'), { timeout: 10_000 });
    } finally {
      await listener.close();
    }
  });

  it('takes a connection gone silent for lost, and listens again through a new one', async () => {
    const relay = silenceableRelay(new URL(t.url ?? ''));
    await new Promise<void>((resolve) => relay.server.listen(0, '127.0.0.1', resolve));
    const address = relay.server.address();
    const url = new URL(t.url ?? '');
    url.host = `127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    const relayed = openPostgres(url.toString(), 1);
    const { events, listener } = listenTo(relayed, 100);
    try {
      await listener.firstAttempt;
      expect(events).toEqual(['up']);
      relay.silence();
      await vi.waitFor(() => expect(events).toEqual(['up', 'down']), { timeout: 10_000 });
      expect(listener.listening).toBe(false);
      // The relay forwards new connections again: the listener reconnects through one.
      await vi.waitFor(() => expect(events).toEqual(['up', 'down', 'up']), { timeout: 20_000 });
      await notify('after');
      await vi.waitFor(() => expect(events.at(-1)).toBe('notify after'), { timeout: 10_000 });
    } finally {
      await relayed.close();
      relay.close();
    }
  });
});
