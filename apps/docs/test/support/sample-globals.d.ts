// Ambient declarations for runtime globals that documentation samples use and that have no
// types in this workspace: only what the samples touch, with Deno's real signatures.
declare global {
  const Deno: {
    env: { toObject(): Record<string, string> };
    serve(
      options: { port?: number; hostname?: string },
      handler: (request: Request) => Response | Promise<Response>,
    ): unknown;
  };
}

export {};
