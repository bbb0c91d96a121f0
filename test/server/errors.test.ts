import { GraphQLError } from 'graphql';
import { ArgumentValidationError } from 'type-graphql';
import { DriverException, UniqueConstraintViolationException } from '@mikro-orm/core';
import { CommunitiesDocument, ViewerDocument } from '../generated/graphql';
import { formatError } from '../../src/shared/errorBoundary';
import { forbidden } from '../../src/shared/errors';
import { Client } from 'pg';
import { expectError, startTestServer } from '../support/server';
import { adminUrl } from '../support/database';

describe('the error boundary (unit)', () => {
  const formatted = (error: unknown) => formatError({ message: (error as Error).message, extensions: {} }, error);

  it('keeps the code and message of errors raised on purpose', () => {
    expect(formatted(forbidden('No.'))).toEqual({ message: 'No.', extensions: { code: 'FORBIDDEN' } });
  });

  it('turns class-validator failures into BAD_USER_INPUT with fieldErrors', () => {
    const error = new ArgumentValidationError([
      { property: 'email', constraints: { isEmail: 'email must be an email' }, children: [] },
    ] as never);
    expect(formatted(error)).toMatchObject({
      extensions: { code: 'BAD_USER_INPUT', fieldErrors: [{ field: 'email', message: 'must be an email' }] },
    });
  });

  it('turns a unique violation into CONFLICT without the constraint or SQL', () => {
    const driverError = Object.assign(new Error('duplicate key value violates unique constraint "member_email_key_unique"'), {
      code: '23505',
    });
    const result = formatted(new UniqueConstraintViolationException(driverError));
    expect(result.extensions).toEqual({ code: 'CONFLICT' });
    expect(JSON.stringify(result)).not.toMatch(/member_email|duplicate key|insert/i);
  });

  it('masks anything unexpected as INTERNAL_SERVER_ERROR with no detail', () => {
    const secret = new DriverException(Object.assign(new Error('select * from "member" where password_hash = $1 - relation does not exist'), { code: '42P01' }));
    expect(formatted(secret)).toEqual({ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } });
  });

  it('does not trust a GraphQLError that wraps an internal error', () => {
    const wrapped = new GraphQLError('boom: connection refused 10.0.0.5', { originalError: new Error('ECONNREFUSED') });
    expect(formatted(wrapped).extensions).toEqual(expect.objectContaining({ code: 'INTERNAL_SERVER_ERROR' }));
  });
});

describe('failures through the API', () => {
  it('answer with INTERNAL_SERVER_ERROR and no detail when the database is gone, and /readyz says so', async () => {
    const server = await startTestServer();
    try {
      expect((await fetch(`${server.app.url}/readyz`)).status).toBe(200);
      // The database disappears under the running server (connections are killed with it).
      const admin = new Client({ connectionString: adminUrl() });
      await admin.connect();
      await admin.query(`drop database "${server.databaseName}" with (force)`);
      await admin.end();
      const response = await server.gql(CommunitiesDocument, {});
      const error = expectError(response, 'INTERNAL_SERVER_ERROR');
      expect(error.message).toBe('Internal server error');
      expect(error.extensions?.requestId).toEqual(expect.any(String));
      expect(JSON.stringify(response)).not.toMatch(/select|from "|stack|pool|ECONN|at .*\.ts/i);
      expect((await fetch(`${server.app.url}/readyz`)).status).toBe(503);
      expect(server.unexpectedErrors).toHaveLength(1);
      server.unexpectedErrors.length = 0;
    } finally {
      await server.close().catch(() => undefined);
    }
  });

  it('answers a signed-in request whose member cannot be read (database gone) with a logged, masked INTERNAL_SERVER_ERROR', async () => {
    const server = await startTestServer();
    try {
      const { token } = await server.factories.member();
      const admin = new Client({ connectionString: adminUrl() });
      await admin.connect();
      await admin.query(`drop database "${server.databaseName}" with (force)`);
      await admin.end();
      const response = await server.gql(ViewerDocument, {}, { token });
      expect(response.status).toBe(500);
      const error = expectError(response, 'INTERNAL_SERVER_ERROR');
      expect(error.message).toBe('Internal server error');
      expect(error.extensions?.requestId).toEqual(expect.any(String));
      expect(JSON.stringify(response)).not.toMatch(/select|from "|stack|pool|ECONN|database|at .*\.ts/i);
      // Logged once, with the request id the client was given.
      expect(server.unexpectedErrors).toHaveLength(1);
      server.unexpectedErrors.length = 0;
    } finally {
      await server.close().catch(() => undefined);
    }
  });

  it('answers malformed requests with contract codes', async () => {
    const server = await startTestServer();
    try {
      const notJson = await server.raw('{"query": ');
      expectError(notJson, 'BAD_USER_INPUT');
      const syntax = await server.raw({ query: '{ viewer { ' });
      expectError(syntax, 'GRAPHQL_VALIDATION_FAILED');
      const unknownField = await server.raw({ query: '{ viewer { passwordHash } }' });
      expectError(unknownField, 'GRAPHQL_VALIDATION_FAILED');
      const badVariable = await server.raw({ query: 'query ($first: Int) { communities(first: $first) { totalCount } }', variables: { first: 'many' } });
      expectError(badVariable, 'BAD_USER_INPUT');
      for (const response of [notJson, syntax, unknownField, badVariable]) {
        expect(JSON.stringify(response)).not.toMatch(/stacktrace|node_modules/);
      }
    } finally {
      await server.close();
    }
  });

  it('serves GET queries and health checks', async () => {
    const server = await startTestServer();
    try {
      const query = encodeURIComponent('{ viewer { id } }');
      const get = await fetch(`${server.url}?query=${query}`, { headers: { 'apollo-require-preflight': 'true' } });
      expect(get.status).toBe(200);
      expect(await get.json()).toEqual({ data: { viewer: null } });
      const health = await fetch(`${server.app.url}/healthz`);
      expect(await health.json()).toEqual({ status: 'ok' });
      expect((await server.gql(ViewerDocument, {})).status).toBe(200);
    } finally {
      await server.close();
    }
  });
});
