import '@testing-library/jest-dom';
import { configure } from '@testing-library/react';

// Whole sections with material-table render slowly in jsdom (StrictMode
// renders twice); generous limits keep the tests from flaking on busy CI
// hosts without hiding real failures.
jest.setTimeout(30_000);
configure({ asyncUtilTimeout: 5_000 });
