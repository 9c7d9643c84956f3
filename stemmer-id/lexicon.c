/*
** lexicon.c — loading the stemmer's lexicon: roots from a hunspell .dic,
** optional extra roots, optional exceptions, into one hash table (layout in
** sid_int.h). It reads files once and then never changes, so any number of
** stemmers on any threads may share it. It does not stem, and it does not
** use the .dic's affix flags: they describe hunspell's generator, not roots.
*/
#include "sid_int.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void seterr(char *err, size_t errcap, const char *fmt, ...) {
  if (!err || errcap == 0) return;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(err, errcap, fmt, ap);
  va_end(ap);
}

/* Read a whole file into a NUL-terminated buffer the caller frees with
** cari_free. */
static int read_file(const char *path, char **out, size_t *nout, char *err,
                     size_t errcap) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    seterr(err, errcap, "cannot open '%s': %s", path, strerror(errno));
    return -1;
  }
  cari_buf b = CARI_BUF_INIT;
  int rc = 0;
  while (!cari_buf_grow(&rc, &b, 1 << 16)) {
    size_t k = fread(b.p + b.n, 1, b.cap - b.n - 1, f);
    b.n += k;
    if (k == 0) break;
  }
  int bad = ferror(f);
  fclose(f);
  if (rc) {
    cari_buf_free(&b);
    seterr(err, errcap, "out of memory reading '%s'", path);
    return -1;
  }
  if (bad) {
    cari_buf_free(&b);
    seterr(err, errcap, "cannot read '%s'", path);
    return -1;
  }
  b.p[b.n] = 0;
  *nout = b.n;
  *out = cari_buf_take(&b);
  return 0;
}

static int utf8_valid(const unsigned char *s, int n) {
  for (int i = 0; i < n;) {
    unsigned c = s[i];
    int k = c < 0x80 ? 0 : (c >> 5) == 6 ? 1 : (c >> 4) == 14 ? 2
          : (c >> 3) == 30 ? 3 : -1;
    if (k < 0 || (k == 1 && c < 0xC2) || i + k >= n) return 0;
    for (int j = 1; j <= k; j++)
      if ((s[i + j] & 0xC0) != 0x80) return 0;
    i += k + 1;
  }
  return 1;
}

/*
** Normalise one key into out (capacity SID_MAX_WORD): trim blanks, read as
** ISO-8859-1 when not valid UTF-8, lowercase ASCII and Latin-1 capitals.
** Returns the length, 0 for an empty or unusable key (too long, blanks
** inside, or an affix entry such as `ber-` or `-kan`).
*/
static int norm_key(const char *s, int n, char *out) {
  while (n > 0 && (s[0] == ' ' || s[0] == '\t')) s++, n--;
  while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
    n--;
  if (n == 0 || s[0] == '-' || s[n - 1] == '-') return 0;
  int latin1 = !utf8_valid((const unsigned char *)s, n), m = 0;
  for (int i = 0; i < n; i++) {
    unsigned c = (unsigned char)s[i];
    if (c == ' ' || c == '\t') return 0;
    if (c >= 'A' && c <= 'Z') c += 32;
    if (latin1 && c >= 0x80) {
      if (c >= 0xC0 && c <= 0xDE && c != 0xD7) c += 32;
      if (m + 2 > SID_MAX_WORD) return 0;
      out[m++] = (char)(0xC0 | (c >> 6));
      out[m++] = (char)(0x80 | (c & 0x3F));
      continue;
    }
    if (!latin1 && c == 0xC3 && i + 1 < n) {
      unsigned d = (unsigned char)s[i + 1];
      if (d >= 0x80 && d <= 0x9E && d != 0x97) {
        if (m + 2 > SID_MAX_WORD) return 0;
        out[m++] = (char)c;
        out[m++] = (char)(d + 32);
        i++;
        continue;
      }
    }
    if (m + 1 > SID_MAX_WORD) return 0;
    out[m++] = (char)c;
  }
  return m;
}

static int text_add(sid_lexicon *lx, const char *s, int n, uint32_t *off) {
  int rc = 0;
  *off = (uint32_t)lx->text.n;
  return cari_buf_add(&rc, &lx->text, s, (size_t)n) ? -1 : 0;
}

static void filter_put(sid_lexicon *lx, uint32_t h) {
  uint32_t b = h >> (32 - SID_FILTER_BITS);
  lx->filter[b >> 6] |= 1ull << (b & 63);
}

static void slot_put(uint64_t *slots, uint32_t mask, uint32_t h, uint32_t idx) {
  uint32_t i = h & mask;
  while (slots[i]) i = (i + 1) & mask;
  slots[i] = ((uint64_t)(idx + 1) << 32) | h;
}

static int grow_slots(sid_lexicon *lx) {
  uint32_t nslot = lx->slots ? (lx->mask + 1) * 2 : 1 << 12;
  uint64_t *s = cari_calloc(nslot, sizeof *s);
  if (!s) return -1;
  for (int i = 0; i < lx->nent; i++) {
    const sid_entry *e = &lx->ent[i];
    slot_put(s, nslot - 1, sid_hash(lx->text.p + e->off, e->len),
             (uint32_t)i);
  }
  cari_free(lx->slots);
  lx->slots = s;
  lx->mask = nslot - 1;
  return 0;
}

/* Add (or update) key with flags, and an alias stem when alen > 0. */
static int lex_put(sid_lexicon *lx, const char *key, int klen, int flags,
                   const char *alias, int alen) {
  uint32_t h = sid_hash(key, klen);
  const sid_entry *found = sid_lex_find(lx, h, key, klen);
  sid_entry *e = found ? &lx->ent[found - lx->ent] : NULL;
  if (!e) {
    if ((uint32_t)(lx->nent + 1) * 2 > lx->mask + 1 && grow_slots(lx))
      return -1;
    int rc = 0;
    lx->ent = cari_grow(&rc, lx->ent, &lx->capent, (size_t)lx->nent + 1,
                        sizeof *lx->ent);
    if (rc) return -1;
    e = &lx->ent[lx->nent];
    memset(e, 0, sizeof *e);
    if (text_add(lx, key, klen, &e->off)) return -1;
    e->len = (uint8_t)klen;
    slot_put(lx->slots, lx->mask, h, (uint32_t)lx->nent);
    filter_put(lx, h);
    lx->nent++;
  }
  e->flags |= (uint8_t)flags;
  if (alen > 0) {
    if (text_add(lx, alias, alen, &e->alias_off)) return -1;
    e->alias_len = (uint8_t)alen;
    e->flags = (uint8_t)((e->flags | SID_E_ALIAS) & ~SID_E_NOSTEM);
  } else if (flags & SID_E_NOSTEM) {
    e->flags &= (uint8_t)~SID_E_ALIAS;
  }
  return 0;
}

/*
** A .dic line: `word` or `word/FLAGS`. A few lines of Debian's id_ID.dic
** lost their slash (`bersutM0`); a tail of two-letter flags with a digit
** after a lowercase letter is cut off as well.
*/
static int dic_key(const char *line, int n, char *out) {
  const char *slash = memchr(line, '/', (size_t)n);
  if (slash) n = (int)(slash - line);
  while (n > 0 && (line[n - 1] == ' ' || line[n - 1] == '\r' ||
                   line[n - 1] == '\t'))
    n--;
  for (int k = 1; k + 2 <= n; k++) {
    if (!(line[k - 1] >= 'a' && line[k - 1] <= 'z')) continue;
    if (!(line[k] >= 'A' && line[k] <= 'Z') || (n - k) % 2) continue;
    int digit = 0, flaglike = 1;
    for (int j = k; j < n; j++) {
      char c = line[j];
      if (c >= '0' && c <= '9') digit = 1;
      else if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))) flaglike = 0;
    }
    if (digit && flaglike) { n = k; break; }
  }
  return norm_key(line, n, out);
}

typedef enum { F_DIC, F_ROOTS, F_EXC } file_kind;

/* Load the entries of text buf[0..nbuf) of the given kind; `path` names it
** in messages. */
static int load_text(sid_lexicon *lx, const char *path, const char *buf,
                     size_t nbuf, file_kind kind, char *err, size_t errcap) {
  char key[SID_MAX_WORD], stem[SID_MAX_WORD];
  int lineno = 0, rc = 0, plain = 0;
  for (const char *p = buf, *end = buf + nbuf; p < end && rc == 0;) {
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    const char *le = nl ? nl : end;
    int n = (int)(le - p);
    lineno++;
    if (kind == F_DIC) {
      int count = lineno == 1 && n > 0;
      for (int i = 0; i < n && count; i++)
        count = (p[i] >= '0' && p[i] <= '9') || p[i] == '\r' || p[i] == ' ';
      int k = count ? 0 : dic_key(p, n, key);
      if (k > 0) rc = lex_put(lx, key, k, SID_E_ROOT, NULL, 0);
    } else {
      int a = 0, b = n; /* the line without surrounding blanks */
      while (a < b && (p[a] == ' ' || p[a] == '\t' || p[a] == '\r')) a++;
      while (b > a && (p[b - 1] == ' ' || p[b - 1] == '\t' || p[b - 1] == '\r'))
        b--;
      if (a < b && p[a] == '[' && kind == F_ROOTS) {
        /* Section: [preferred] roots win ties (the default), [plain] not. */
        if (b - a == 7 && memcmp(p + a, "[plain]", 7) == 0) plain = 1;
        else if (b - a == 11 && memcmp(p + a, "[preferred]", 11) == 0) plain = 0;
        else {
          seterr(err, errcap, "%s:%d: unknown section", path, lineno);
          rc = 1;
        }
      } else if (a < b && p[a] != '#') {
        const char *tab =
            kind == F_EXC ? memchr(p + a, '\t', (size_t)(b - a)) : NULL;
        int k = norm_key(p + a, tab ? (int)(tab - p - a) : b - a, key);
        int s = tab ? norm_key(tab + 1, (int)(p + b - tab - 1), stem) : 0;
        if (k == 0 || (tab && s == 0 && tab + 1 < p + b)) {
          seterr(err, errcap,
                 "%s:%d: bad entry (blank inside, affix, or over %d bytes)",
                 path, lineno, SID_MAX_WORD);
          rc = 1;
        } else if (kind == F_ROOTS) {
          rc = lex_put(lx, key, k, SID_E_ROOT | (plain ? SID_E_NAME : SID_E_CORE),
                       NULL, 0);
        } else {
          int same = s == k && memcmp(key, stem, (size_t)k) == 0;
          /* Exceptions are curated: they win ties like preferred roots. */
          rc = (s == 0 || same)
                   ? lex_put(lx, key, k, SID_E_NOSTEM | SID_E_CORE, NULL, 0)
                   : lex_put(lx, key, k, SID_E_CORE, stem, s);
        }
      }
    }
    p = le + 1;
  }
  if (rc < 0) seterr(err, errcap, "out of memory loading '%s'", path);
  return rc ? -1 : 0;
}

static int load_file(sid_lexicon *lx, const char *path, file_kind kind,
                     char *err, size_t errcap) {
  char *buf;
  size_t nbuf;
  if (read_file(path, &buf, &nbuf, err, errcap)) return -1;
  int rc = load_text(lx, path, buf, nbuf, kind, err, errcap);
  cari_free(buf);
  return rc;
}

static uint64_t mix64(uint64_t x) {
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ull;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

static uint64_t fnv64(const char *s, int n) {
  uint64_t h = 14695981039346656037ull;
  for (int i = 0; i < n; i++) h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
  return h;
}

/* Order-independent: a sum of mixed per-entry hashes. */
static void make_checksum(sid_lexicon *lx) {
  uint64_t sum = 0;
  for (int i = 0; i < lx->nent; i++) {
    const sid_entry *e = &lx->ent[i];
    uint64_t h = fnv64(lx->text.p + e->off, e->len);
    h += (uint64_t)(e->flags & ~SID_E_ROOT) * 0x9e3779b97f4a7c15ull;
    if (e->flags & SID_E_ALIAS)
      h ^= mix64(fnv64(lx->text.p + e->alias_off, e->alias_len));
    sum += mix64(h);
  }
  snprintf(lx->checksum, sizeof lx->checksum, "%016llx",
           (unsigned long long)mix64(sum ^ (uint64_t)lx->nent));
}

sid_lexicon *sid_lexicon_load(const char *dic_path, const char *extra_roots_path,
                              const char *exceptions_path, char *err,
                              size_t errcap) {
  sid_lexicon_spec spec;
  memset(&spec, 0, sizeof spec);
  spec.dic_path = dic_path;
  spec.roots_path = extra_roots_path;
  spec.exceptions_path = exceptions_path;
  return sid_lexicon_open(&spec, err, errcap);
}

sid_lexicon *sid_lexicon_open(const sid_lexicon_spec *spec, char *err,
                              size_t errcap) {
  const char *dic_path = spec->dic_path;
  if (!dic_path) {
    seterr(err, errcap, "no dictionary path given");
    return NULL;
  }
  sid_lexicon *lx = cari_calloc(1, sizeof *lx);
  int rc = 0;
  if (lx) { /* room for a dictionary's worth at once */
    lx->ent = cari_grow(&rc, NULL, &lx->capent, 1 << 14, sizeof *lx->ent);
    cari_buf_grow(&rc, &lx->text, 1 << 18);
  }
  if (!lx || rc || grow_slots(lx)) {
    seterr(err, errcap, "out of memory creating the lexicon");
    sid_lexicon_free(lx);
    return NULL;
  }
  if (load_file(lx, dic_path, F_DIC, err, errcap) ||
      (spec->roots_text &&
       load_text(lx, "built-in roots", spec->roots_text, spec->roots_len,
                 F_ROOTS, err, errcap)) ||
      (spec->exceptions_text &&
       load_text(lx, "built-in exceptions", spec->exceptions_text,
                 spec->exceptions_len, F_EXC, err, errcap)) ||
      (spec->roots_path &&
       load_file(lx, spec->roots_path, F_ROOTS, err, errcap)) ||
      (spec->exceptions_path &&
       load_file(lx, spec->exceptions_path, F_EXC, err, errcap))) {
    sid_lexicon_free(lx);
    return NULL;
  }
  if (lx->nent == 0) {
    seterr(err, errcap, "'%s' holds no words", dic_path);
    sid_lexicon_free(lx);
    return NULL;
  }
  sid_mark_derived(lx);
  make_checksum(lx);
  return lx;
}

void sid_lexicon_free(sid_lexicon *lx) {
  if (!lx) return;
  cari_free(lx->slots);
  cari_free(lx->ent);
  cari_buf_free(&lx->text);
  cari_free(lx);
}

const char *sid_lexicon_checksum(const sid_lexicon *lx) {
  return lx->checksum;
}

int sid_lexicon_count(const sid_lexicon *lx) { return lx->nent; }

int sid_lexicon_has(const sid_lexicon *lx, const char *w, int n) {
  if (!lx || !w || n <= 0 || n > SID_MAX_WORD) return 0;
  return sid_lex_find(lx, sid_hash(w, n), w, n) != NULL;
}
