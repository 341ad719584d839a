// Entry for wrangler (`main` in wrangler.toml).
import { gatewayWorker } from '../worker.js';

export default gatewayWorker;
