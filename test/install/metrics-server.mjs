// The metrics endpoint the install test serves to the Argo Rollouts analysis.
//
// The generated AnalysisTemplates query Prometheus at its in-cluster address
// (http://prometheus-operated.monitoring.svc:9090). The Rollouts controller runs on
// this machine, not in a pod, so it reaches that address through this process as its
// HTTP proxy (HTTP_PROXY, set by scripts/cluster.sh from CNO_ROLLOUTS_HTTP_PROXY).
// It answers the Prometheus HTTP API's instant queries with a healthy success rate
// (1.0), and refuses a query whose template arguments were not resolved, so a broken
// template still fails its analysis. Every query is appended to the log file.
import fs from 'node:fs';
import http from 'node:http';

const port = Number(process.argv[2] ?? 19090);
const logFile = process.argv[3];

// The Prometheus HTTP API takes the query in the URL (GET) or as a form body (POST:
// the Go client, which the Rollouts controller uses, POSTs first).
function readQuery(req, url, done) {
  if (req.method !== 'POST') {
    done(url.searchParams.get('query') ?? '');
    return;
  }
  let body = '';
  req.setEncoding('utf8');
  req.on('data', chunk => {
    body += chunk;
  });
  req.on('end', () =>
    done(
      new URLSearchParams(body).get('query') ??
        url.searchParams.get('query') ??
        '',
    ),
  );
}

const server = http.createServer((req, res) => {
  const url = new URL(req.url, 'http://placeholder');
  readQuery(req, url, query => answer(req, res, url, query));
});

function answer(req, res, url, query) {
  const line = `${new Date().toISOString()} ${req.method} ${req.headers.host} ${
    url.pathname
  } ${query}\n`;
  if (logFile) fs.appendFileSync(logFile, line);
  const send = (status, body) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  if (url.pathname !== '/api/v1/query') {
    send(404, {
      status: 'error',
      errorType: 'not_found',
      error: `${url.pathname} is not served`,
    });
  } else if (query === '' || query.includes('{{')) {
    send(400, {
      status: 'error',
      errorType: 'bad_data',
      error: `unresolved query: ${query}`,
    });
  } else {
    send(200, {
      status: 'success',
      data: {
        resultType: 'vector',
        result: [{ metric: {}, value: [Date.now() / 1000, '1'] }],
      },
    });
  }
}
server.listen(port, '127.0.0.1');

// ends with the install test that started it, even when that one is killed
const parent = process.ppid;
setInterval(() => {
  try {
    process.kill(parent, 0);
  } catch {
    process.exit(0);
  }
}, 2000).unref();
