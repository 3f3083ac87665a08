#!/usr/bin/env node
/**
 * CDK app entry (cdk.json: `npx tsx bin/app.ts`). The stage comes from `-c stage=dev|prod`
 * (default in cdk.json); see lib/app.ts.
 */
import { buildApp } from '../lib/app';

buildApp().app.synth();
