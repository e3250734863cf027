/// <reference types="@remix-run/dev" />
/// <reference types="@remix-run/node" />

import "@remix-run/node";
import type { AppLoadContext as _Ctx } from "@remix-run/node";

declare module "@remix-run/node" {
  interface Future {
    v3_singleFetch: true;
  }
  interface AppLoadContext {
    /** The client's address as Express sees it (honours TRUST_PROXY). */
    clientAddress: string;
  }
}
export type { _Ctx };
