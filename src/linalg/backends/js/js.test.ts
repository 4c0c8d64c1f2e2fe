import { describeBackendSuite } from '../../testing/backendSuite.js';
import { jsBackendFactory } from './index.js';

describeBackendSuite('js', () => jsBackendFactory.load({}));
