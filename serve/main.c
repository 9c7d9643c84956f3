/*
** main.c — `cari serve`: options, the checks made before listening (the
** database opens with its recorded analyzer, the address is free, the token
** file reads), the listening socket, and the shutdown on SIGINT or SIGTERM
** that lets requests in flight finish and closes every handle. It answers
** no request itself (http.c does).
*/
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <netdb.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "serve.h"

enum { EXIT_OKAY = 0, EXIT_USAGE = 2, EXIT_FAIL = 3 };

#define DEFAULT_LISTEN "127.0.0.1:8080"
#define DEFAULT_MAX_BODY (4 * 1024 * 1024)
#define DEFAULT_MAX_QUERY 1024
#define DEFAULT_MAX_MS 2000
#define GRACE_MS 10000

static const char serve_help[] =
    "usage: cari serve [--db FILE] [--listen HOST:PORT] [--threads N]\n"
    "                  [--token-file FILE] [--quiet] [limits]\n"
    "Serve the index over HTTP: a JSON search API, a search page, and (with\n"
    "a token) writes.\n"
    "  --db FILE          database (default $CARI_DB or cari.db; must exist)\n"
    "  --listen HOST:PORT address (default 127.0.0.1:8080, loopback; port 0\n"
    "                     picks a free one; [::1]:8080 for IPv6)\n"
    "  --threads N        worker threads, each with its own database handle\n"
    "                     (default: one per core)\n"
    "  --token-file FILE  file holding the bearer token (16 or more\n"
    "                     characters) that PUT, DELETE and POST need;\n"
    "                     without it the server is read-only (403)\n"
    "  --quiet            no access log (one line per request on stderr:\n"
    "                     method, path without query, status, microseconds)\n"
    "Limits:\n"
    "  --max-body BYTES   request body (default 4194304); more: 413\n"
    "  --max-query BYTES  the query q (default 1024); more: 400\n"
    "  --time-limit MS    a search (default 2000): each library call stops\n"
    "                     at it and none starts past it; past it: 503\n"
    "  --optimize-after N optimize in the background after N articles put\n"
    "                     or removed (default: a tenth of the articles,\n"
    "                     from 32 to 256; 0: only on POST /optimize)\n"
    "Endpoints: GET / (page), GET /search?q=&limit=&offset= (JSON; filters\n"
    "&tag=&from=&to=, &sort=relevance|date, &facets=1&facet_limit=, as\n"
    "cari search), GET /related/ID?limit=, GET /suggest?q=&limit=,\n"
    "GET /health, PUT and DELETE /articles/ID, POST /articles (JSONL),\n"
    "POST /optimize[?wait=1]. Errors are JSON: {\"error\": \"...\"}.\n"
    "The cari stemmer's lexicon: $CARI_DIC, $CARI_ROOTS, $CARI_EXCEPTIONS,\n"
    "as for the other commands (a database made with one needs the same).\n"
    "Stops on SIGINT or SIGTERM, finishing the requests in flight.\n"
    "Exit status: 0 stopped cleanly, 2 usage, 3 failure (at start: port\n"
    "taken, no database, another analyzer).\n";

static void fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void fail(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fputs("cari serve: ", stderr);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  va_end(ap);
}

static void usage(const char *msg) {
  fprintf(stderr, "cari serve: %s (see 'cari serve --help')\n", msg);
  exit(EXIT_USAGE);
}

static long long number(const char *opt, const char *s, long long min,
                        long long max) {
  char *end;
  errno = 0;
  long long v = strtoll(s, &end, 10);
  if (errno || end == s || *end || v < min || v > max) {
    char msg[160];
    snprintf(msg, sizeof msg, "%s wants a whole number from %lld to %lld, "
             "not '%s'", opt, min, max, s);
    usage(msg);
  }
  return v;
}

/* The token: the file's first line, surrounding blanks dropped. */
static char *read_token(const char *path) {
  char buf[4096];
  FILE *f = fopen(path, "r");
  if (!f) {
    fail("cannot read the token file '%s': %s", path, strerror(errno));
    return NULL;
  }
  size_t n = fread(buf, 1, sizeof buf - 1, f);
  fclose(f);
  buf[n] = 0;
  buf[strcspn(buf, "\r\n")] = 0;
  char *s = buf, *e;
  while (*s == ' ' || *s == '\t') s++;
  e = s + strlen(s);
  while (e > s && (e[-1] == ' ' || e[-1] == '\t')) *--e = 0;
  if (strlen(s) < 16) {
    fail("the token in '%s' is shorter than 16 characters", path);
    return NULL;
  }
  return strdup(s);
}

/* Bind and listen on HOST:PORT; print the address actually bound. */
static int listen_on(const char *spec, char *shown, size_t cap) {
  char host[256], port[16];
  const char *colon = strrchr(spec, ':');
  if (!colon || colon == spec || !colon[1] ||
      (size_t)(colon - spec) >= sizeof host || strlen(colon + 1) >= sizeof port)
    usage("--listen wants HOST:PORT, e.g. 127.0.0.1:8080");
  memcpy(host, spec, (size_t)(colon - spec));
  host[colon - spec] = 0;
  snprintf(port, sizeof port, "%s", colon + 1);
  char *h = host;
  if (h[0] == '[') { /* [::1] */
    size_t k = strlen(h);
    if (h[k - 1] != ']') usage("--listen: an IPv6 address goes in [ ]");
    h[k - 1] = 0;
    h++;
  }
  struct addrinfo hints = {0}, *ai;
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  int rc = getaddrinfo(h, port, &hints, &ai);
  if (rc) {
    fail("cannot listen on %s: %s", spec, gai_strerror(rc));
    return -1;
  }
  int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, 0), one = 1;
  if (fd < 0 ||
      setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0 ||
      bind(fd, ai->ai_addr, ai->ai_addrlen) != 0 || listen(fd, 1024) != 0 ||
      fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) != 0) {
    fail("cannot listen on %s: %s", spec, strerror(errno));
    if (fd >= 0) close(fd);
    freeaddrinfo(ai);
    return -1;
  }
  struct sockaddr_storage ss;
  socklen_t sl = sizeof ss;
  char hbuf[NI_MAXHOST], pbuf[NI_MAXSERV];
  if (getsockname(fd, (struct sockaddr *)&ss, &sl) == 0 &&
      getnameinfo((struct sockaddr *)&ss, sl, hbuf, sizeof hbuf, pbuf,
                  sizeof pbuf, NI_NUMERICHOST | NI_NUMERICSERV) == 0)
    snprintf(shown, cap, ss.ss_family == AF_INET6 ? "[%s]:%s" : "%s:%s", hbuf,
             pbuf);
  else
    snprintf(shown, cap, "%s", spec);
  freeaddrinfo(ai);
  return fd;
}

static const char *env_path(const char *name) {
  const char *e = getenv(name);
  return e && e[0] ? e : NULL;
}

/* The options into cfg (defaults first); exits with status 2 on a usage
** error, returns 1 after --help, 0 otherwise. */
static int parse_options(int argc, char **argv, srv_config *cfg,
                         const char **token_file) {
  static const struct option opts[] = {
      {"db", required_argument, 0, 'd'},
      {"listen", required_argument, 0, 'l'},
      {"threads", required_argument, 0, 't'},
      {"token-file", required_argument, 0, 'T'},
      {"max-body", required_argument, 0, 'B'},
      {"max-query", required_argument, 0, 'Q'},
      {"time-limit", required_argument, 0, 'M'},
      {"optimize-after", required_argument, 0, 'O'},
      {"quiet", no_argument, 0, 'q'},
      {"help", no_argument, 0, 'h'},
      {0, 0, 0, 0}};
  const char *env = getenv("CARI_DB");
  long cores = sysconf(_SC_NPROCESSORS_ONLN);
  *cfg = (srv_config){.db = env && env[0] ? env : "cari.db",
                      .listen = DEFAULT_LISTEN,
                      .threads = cores > 0 ? (int)cores : 2,
                      .max_body = DEFAULT_MAX_BODY,
                      .max_query = DEFAULT_MAX_QUERY,
                      .max_ms = DEFAULT_MAX_MS,
                      .optimize_after = -1};
  *token_file = NULL;
  /* The `cari` stemmer's lexicon, as every other command reads it: a
  ** database made with one must be opened with the same one. */
  cari_open_opts oo = CARI_OPEN_OPTS_INIT;
  oo.dic = env_path("CARI_DIC");
  oo.roots = env_path("CARI_ROOTS");
  oo.exceptions = env_path("CARI_EXCEPTIONS");
  cfg->open = oo;
  int c;
  while ((c = getopt_long(argc, argv, "d:l:t:qh", opts, NULL)) != -1) {
    switch (c) {
    case 'd': cfg->db = optarg; break;
    case 'l': cfg->listen = optarg; break;
    case 't': cfg->threads = (int)number("--threads", optarg, 1, 256); break;
    case 'T': *token_file = optarg; break;
    case 'B':
      cfg->max_body = (size_t)number("--max-body", optarg, 1, 1LL << 30);
      break;
    case 'Q':
      cfg->max_query = (size_t)number("--max-query", optarg, 1, 65536);
      break;
    case 'M':
      cfg->max_ms = (int)number("--time-limit", optarg, 1, 600000);
      break;
    case 'O':
      cfg->optimize_after =
          (long)number("--optimize-after", optarg, 0, 1000000000);
      break;
    case 'q': cfg->quiet = 1; break;
    case 'h': fputs(serve_help, stdout); return 1;
    default: usage("unknown option");
    }
  }
  if (optind < argc) usage("unexpected argument");
  return 0;
}

int cari_cmd_serve(int argc, char **argv) {
  srv_config cfg;
  const char *token_file;
  if (parse_options(argc, argv, &cfg, &token_file)) return EXIT_OKAY;

  struct stat st;
  if (stat(cfg.db, &st) != 0) {
    fail("no database at '%s' (create one with 'cari index')", cfg.db);
    return EXIT_FAIL;
  }
  char *token = NULL;
  if (token_file && !(token = read_token(token_file))) return EXIT_FAIL;
  cfg.token = token;

  char err[1024] = "";
  srv_pool *pool = NULL;
  srv_writer *writer = NULL;
  if (srv_pool_new(cfg.db, &cfg.open, cfg.threads, &pool, err, sizeof err) !=
          CARI_OK ||
      (token && srv_writer_new(cfg.db, &cfg.open, cfg.optimize_after, &writer,
                               err, sizeof err) != CARI_OK)) {
    fail("%s: %s", cfg.db, err);
    srv_pool_free(pool);
    free(token);
    return EXIT_FAIL;
  }

  /* SIGINT and SIGTERM are taken by sigwait below: blocked here, before
  ** any thread starts, so every thread inherits the mask. */
  sigset_t sigs;
  sigemptyset(&sigs);
  sigaddset(&sigs, SIGINT);
  sigaddset(&sigs, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &sigs, NULL);
  signal(SIGPIPE, SIG_IGN);

  char shown[300];
  int fd = listen_on(cfg.listen, shown, sizeof shown), status = EXIT_OKAY;
  srv_server *srv = NULL;
  if (fd >= 0 &&
      !(srv = srv_http_start(&cfg, fd, pool, writer, err, sizeof err))) {
    fail("%s", err);
    close(fd);
  }
  if (!srv) {
    status = EXIT_FAIL;
  } else {
    fprintf(stderr, "cari serve: listening on http://%s/ (%d threads, %s, "
            "writes %s)\n", shown, cfg.threads, cfg.db,
            token ? "on" : "off");
    int sig = 0;
    sigwait(&sigs, &sig);
    fprintf(stderr, "cari serve: %s: stopping after the requests in "
            "flight\n", sig == SIGINT ? "SIGINT" : "SIGTERM");
    srv_http_stop(srv, GRACE_MS);
  }
  srv_writer_free(writer);
  srv_pool_free(pool);
  free(token);
  if (status == EXIT_OKAY) fprintf(stderr, "cari serve: stopped\n");
  return status;
}
