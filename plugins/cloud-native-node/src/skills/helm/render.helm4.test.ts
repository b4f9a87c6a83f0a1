import { renderSuite } from '../../../testkit/helmRenderSuite';

// The chart against Helm 4 (see renderSuite)
renderSuite('4');
