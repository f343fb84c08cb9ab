#!/usr/bin/env python3
"""Independent count of the LLM recordings in tests/fixtures/llm (issue 15), with PyYAML and
the standard library only: per file the exchanges, which have a time (recorded_at / captured_at,
else the response Date header), each status, and the error code a 429 carries. RateScope's
`summarize --format json` of the same files must agree (see tests/tst_cassettes.cpp)."""
import base64, email.utils, glob, gzip, json, os, re, sys, zlib
import yaml

class Loader(yaml.SafeLoader):
    pass
# Ruby VCR writes `!binary` (one !); PyYAML knows only YAML's !!binary.
Loader.add_constructor('!binary', lambda l, n: base64.b64decode(l.construct_scalar(n)))

def inflate(b, enc):
    if isinstance(b, bytes) and enc and ('gzip' in enc or 'deflate' in enc) and b[:1] in (b'\x1f', b'x'):
        return zlib.decompress(b, 47)
    return b

def header(headers, name):
    for k, v in (headers or {}).items():
        if k.lower() == name:
            return v[0] if isinstance(v, list) else v
    return None

RULES = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'resources', 'rules', 'rules.json')
CODES = {c['code'].lower(): c['source'] for c in json.load(open(RULES))['codes']}

def source_of(body):
    """The source rules.json gives a 429: the first of its codes that the body holds as a
    quoted string (any key), else UNCLASSIFIED."""
    text = body.decode('utf-8', 'replace') if isinstance(body, bytes) else json.dumps(body) if not isinstance(body, str) else body
    for quoted in re.findall(r'"([A-Za-z_]+)"', text):
        if quoted.lower() in CODES:
            return CODES[quoted.lower()] + '(' + quoted + ')'
    return 'UNCLASSIFIED'

def exchanges(path):
    if path.endswith('.httprr'):
        data = open(path, 'rb').read()
        assert data.startswith(b'httprr trace v1\n')
        pos = len(b'httprr trace v1\n')
        while pos < len(data):
            nl = data.index(b'\n', pos)
            n, m = map(int, data[pos:nl].split())
            resp = data[nl + 1 + n: nl + 1 + n + m].decode()
            head, _, body = resp.partition('\r\n\r\n') if '\r\n\r\n' in resp else resp.partition('\n\n')
            status = int(head.split()[1])
            hs = dict(l.split(': ', 1) for l in head.splitlines()[1:])
            yield status, None, hs, body
            pos = nl + 1 + n + m
    elif path.endswith('.json'):
        d = json.load(open(path))
        r = d['response']
        yield int(r['status']), d.get('captured_at'), r['headers'], r['body']
    else:
        d = yaml.load(open(path, 'rb'), Loader=Loader)
        for it in d.get('interactions') or d.get('http_interactions'):
            r = it['response']
            st = r['status']['code'] if isinstance(r['status'], dict) else int(r['status'])
            b = r.get('parsed_body')
            if b is None:
                b = r['body']['string'] if isinstance(r.get('body'), dict) else r.get('body')
                b = inflate(b, header(r['headers'], 'content-encoding'))
            yield st, it.get('recorded_at'), r['headers'], b

tot = dict(requests=0, skipped=0, RATE_LIMITED=0, UNCLASSIFIED=0)
for path in sorted(glob.glob(sys.argv[1] + '/*')):
    rows = []
    for st, at, hs, body in exchanges(path):
        date = header(hs, 'date')
        timed = at is not None or (date is not None and email.utils.parsedate_to_datetime(date) is not None)
        src = source_of(body) if st == 429 else ''
        rows.append('%d%s%s' % (st, '' if timed else '(no time)', ':' + src if src else ''))
        tot['requests' if timed else 'skipped'] += 1
        if src and timed:
            tot[src.split('(')[0]] += 1
    print('%-66s %s' % (os.path.basename(path), ' '.join(rows)))
print('requests with a time %(requests)d, skipped (no time) %(skipped)d, '
      'timed 429s: RATE_LIMITED %(RATE_LIMITED)d, UNCLASSIFIED %(UNCLASSIFIED)d' % tot)
