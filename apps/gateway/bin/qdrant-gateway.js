#!/usr/bin/env node
// The `qdrant-gateway` command. A committed file, so package managers can link it before the
// gateway is built (in the repository); the code it runs is the built CLI.
import '../dist/cli.js';
