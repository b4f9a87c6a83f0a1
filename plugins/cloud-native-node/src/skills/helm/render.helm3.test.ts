import { renderSuite } from './__fixtures__/renderSuite';

// The chart against Helm 3 (see renderSuite)
renderSuite('3');
