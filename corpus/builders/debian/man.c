/*
** man.c — debian_docs: manpages-id: a page per file, title from its NAME
** line.
** It does not uncompress pages (build-debian-corpus does).
*/
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "debian.h"

/**************************************************************************
** manpages-id: roff, read minimally
**
** The title is the NAME (NAMA) line, "chmod - mengubah bit-bit mode
** berkas"; the body is the rest: section headings as lines, macro
** arguments and text lines as text, font changes and other escapes gone,
** the common special characters translated. The sections every page has
** around its content go: the translators' note po4a adds (TERJEMAHAN),
** bug address, copyright, authors, availability and cross-references. Requests that only format
** (.nh, .ad, .ds, ...), macro definitions and tbl format lines are
** skipped. No roff evaluation: conditionals' text is kept or dropped
** whole (dropped), registers and strings read as nothing (\*(Aq as ').
*/

static const char *const man_skip[] = {"TERJEMAHAN", "MELAPORKAN BUG",
    "HAK CIPTA", "PENGARANG", "PENULIS", "KETERSEDIAAN", "LIHAT JUGA",
    "TRANSLATION", "REPORTING BUGS", "COPYRIGHT", "AUTHOR", "AUTHORS",
    "AVAILABILITY", "SEE ALSO", NULL};

void man_read(builder *b, const char *dir, const char *url_base) {
  strv files = {0};
  size_t f;
  if (list_files(dir, "", "", &files, 0) != 0) die("%s: %s", dir, strerror(errno));
  for (f = 0; f < files.n; f++) {
    const char *rel = files.v[f], *base = strrchr(rel, '/');
    char *path, *text, *line, *save = NULL;
    sbuf name = {0}, body = {0}, id = {0}, url = {0}, skipped = {0};
    int in_name = 0, skip_def = 0, skip_sec = 0, tbl = 0, tag = 0;
    base = base ? base + 1 : rel;
    /* manN/page.N only: no compressed or other files. */
    if (!has_prefix(rel, "man") || !strchr(base, '.') ||
        strchr(base, '.')[1] < '1' || strchr(base, '.')[1] > '9')
      continue;
    path = path_join(dir, rel);
    text = read_file(path, NULL);
    if (!text) {
      unreadable(b, "manpages", path, strerror(errno));
      free(path);
      continue;
    }
    for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
      sbuf *out = in_name ? &name : skip_sec ? &skipped : &body;
      if (skip_def) { /* up to "..", which may be written ".  ." */
        const char *p = line + (*line == '.');
        while (*p == ' ' || *p == '\t') p++;
        if (*line == '.' && *p == '.' && p[1 + strspn(p + 1, " \t")] == '\0')
          skip_def = 0;
        continue;
      }
      if (*line == '.' || *line == '\'') {
        const char *p = line + 1, *req;
        size_t rl;
        strv args = {0};
        while (*p == ' ' || *p == '\t') p++;
        req = p;
        rl = strcspn(p, " \t");
        p += rl;
        roff_args(p, &args);
#define REQ(s) (rl == strlen(s) && memcmp(req, s, rl) == 0)
        if (rl >= 1 && req[0] == '\\' && req[1] == '"') {
          /* comment */
        } else if (REQ("de") || REQ("de1") || REQ("am") || REQ("ig")) {
          skip_def = 1;
        } else if (REQ("SH") || REQ("SS")) {
          sbuf h = {0};
          size_t i;
          for (i = 0; i < args.n; i++) {
            if (i) sb_putc(&h, ' ');
            roff_text(&h, args.v[i]);
          }
          in_name = REQ("SH") && (strcmp(sb_str(&h), "NAMA") == 0 ||
                                  strcmp(sb_str(&h), "NAME") == 0);
          if (REQ("SH")) skip_sec = name_in(sb_str(&h), man_skip);
          if (!in_name && !skip_sec) {
            sb_putc(&body, '\n');
            sb_puts(&body, sb_str(&h));
            sb_putc(&body, '\n');
          }
          sb_free(&h);
        } else if (REQ("B") || REQ("I") || REQ("SM") || REQ("SB") ||
                   REQ("BR") || REQ("RB") || REQ("IR") || REQ("RI") ||
                   REQ("BI") || REQ("IB")) {
          size_t i;
          int alternate = rl == 2 && !REQ("SM") && !REQ("SB");
          for (i = 0; i < args.n; i++) {
            if (i && !alternate) sb_putc(out, ' ');
            roff_text(out, args.v[i]);
          }
          sb_putc(out, tag ? '\n' : ' ');
          tag = 0;
        } else if (REQ("IP") || REQ("TP") || REQ("PP") || REQ("P") ||
                   REQ("LP") || REQ("HP") || REQ("TQ") || REQ("br") ||
                   REQ("sp") || REQ("nf") || REQ("fi") || REQ("RS") ||
                   REQ("RE") || REQ("in") || REQ("ti") || REQ("EX") ||
                   REQ("EE") || REQ("UR") || REQ("UE") || REQ("MT") ||
                   REQ("ME")) {
          sb_putc(out, '\n');
          if (in_name && !blank(sb_str(&name))) in_name = 0, out = &body;
          tag = REQ("TP") || REQ("TQ"); /* the next line is the item's tag */
          if (REQ("IP") && args.n) {
            roff_text(out, args.v[0]);
            sb_putc(out, '\n');
          }
        } else if (REQ("TS")) {
          tbl = 1; /* options and format lines follow, up to a '.' */
          sb_putc(out, '\n');
        } else if (REQ("TE")) {
          tbl = 0;
          sb_putc(out, '\n');
        }
#undef REQ
        sv_free(&args);
        continue;
      }
      if (tbl == 1) {
        if (has_suffix(line, ".")) tbl = 2;
        continue;
      }
      if (tbl == 2) { /* a row: T{ and T} delimit cells, tabs separate */
        char *c;
        while ((c = strstr(line, "T{")) != NULL) c[0] = c[1] = ' ';
        while ((c = strstr(line, "T}")) != NULL) c[0] = c[1] = ' ';
      }
      roff_text(out, line);
      sb_putc(out, tbl == 2 || tag ? '\n' : ' ');
      tag = 0;
    }
    sb_puts(&id, "man:");
    sb_puts(&id, base);
    if (url_base) {
      sb_puts(&url, url_base);
      sb_puts(&url, base);
      sb_puts(&url, ".id.html");
    }
    add_doc(b, "manpages", sb_str(&id), sb_str(&name), sb_str(&body),
            url_base ? sb_str(&url) : NULL);
    sb_free(&name);
    sb_free(&skipped);
    sb_free(&body);
    sb_free(&id);
    sb_free(&url);
    free(text);
    free(path);
  }
  sv_free(&files);
}
