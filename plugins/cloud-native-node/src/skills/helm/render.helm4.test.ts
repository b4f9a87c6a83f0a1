import { renderSuite } from './__fixtures__/renderSuite';

// The chart against Helm 4 (see renderSuite)
renderSuite('4');
