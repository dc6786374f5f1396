#!/usr/bin/env node
// Committed shim: package managers link `bin` at install time, before dist/ exists, so the
// linked file must be here; it loads the built command.
import "../dist/cli.js";
