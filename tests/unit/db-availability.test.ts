import { expect, test } from "vitest";
import { isDatabaseUnavailableError } from "#app/models/platform/db-availability.server.ts";

/** An error shaped as pg or Node gives it: a message and a code. */
const coded = (message: string, code: string) => Object.assign(new Error(message), { code });

test("errors that mean the database is away are told apart from errors in a query", () => {
  const away = [
    coded("terminating connection due to administrator command", "57P01"),
    coded("the database system is starting up", "57P03"),
    coded("connect ECONNREFUSED 127.0.0.1:5432", "ECONNREFUSED"),
    coded("connection failure during authentication", "08006"),
    new Error("Connection terminated unexpectedly"),
    new Error("Connection terminated due to connection timeout"),
    // drizzle wraps the driver's error: the code is on the cause.
    new Error("Failed query: select 1", { cause: coded("connect ECONNREFUSED 127.0.0.1:5432", "ECONNREFUSED") }),
  ];
  const notAway = [
    coded('duplicate key value violates unique constraint "people_pkey"', "23505"),
    coded("invalid input syntax for type uuid", "22P02"),
    new Error("Failed query: select 1", { cause: coded("relation does not exist", "42P01") }),
    new Error("Cannot read properties of undefined"),
    // Every pooled connection busy: an overload, not an outage.
    new Error("timeout exceeded when trying to connect"),
    "a string",
    null,
  ];
  expect(away.map(isDatabaseUnavailableError)).toEqual([true, true, true, true, true, true, true]);
  expect(notAway.map(isDatabaseUnavailableError)).toEqual([false, false, false, false, false, false, false]);
});
