import { renderSuite } from '../../../testkit/helmRenderSuite';

// The chart against Helm 3 (see renderSuite)
renderSuite('3');
