#!/usr/bin/env node
// A committed entry point, so the `stela-audit` bin exists as soon as the package is installed
// (before a workspace build) and stays a plain file that npm can link.
import { runCli } from '../dist/cli/main.js';

runCli();
