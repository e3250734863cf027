/* eslint-disable @typescript-eslint/triple-slash-reference, @typescript-eslint/consistent-type-definitions --
   Remix's ambient types come by reference, and module augmentation needs an interface. */
/// <reference types="@remix-run/dev" />
/// <reference types="@remix-run/node" />

import "@remix-run/node";

// Single fetch (a v3 future flag) changes what loaders' types infer to.
declare module "@remix-run/node" {
  interface Future {
    v3_singleFetch: true;
  }
}
