/*
 * LuceneIngest.java — the Lucene 4.10 baseline of bench/ingest (issue 15):
 * index a JSONL file of articles ({"id","title","body",...} one a line)
 * into a new directory with Lucene's IndonesianAnalyzer and BM25, title and
 * body stored (as cari and FTS5 store them), then forceMerge(1) (the
 * counterpart of FTS5's and cari's optimize) and close. Prints one line:
 * articles, seconds inside the JVM, articles per second.
 *
 *   java -cp CLASSPATH LuceneIngest INDEX_DIR FILE.jsonl
 *
 * It reads only the top-level string fields id, title and body with a
 * small decoder of JSON strings (the JDK has no JSON reader and the
 * baseline must not be slowed by one it does not need); other fields are
 * skipped. It does not search: bench/ingest measures indexing only.
 */
import java.io.BufferedReader;
import java.io.File;
import java.io.FileInputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

import org.apache.lucene.analysis.id.IndonesianAnalyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.search.similarities.BM25Similarity;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.Version;

public final class LuceneIngest {
  /* The string value of top-level field `name` in line, or null. */
  static String field(String line, String name) {
    String key = "\"" + name + "\":";
    int at = line.indexOf(key);
    while (at >= 0) {
      int p = at + key.length();
      while (p < line.length() && line.charAt(p) == ' ') p++;
      if (p < line.length() && line.charAt(p) == '"') return decode(line, p + 1);
      at = line.indexOf(key, at + 1);
    }
    return null;
  }

  static String decode(String s, int p) {
    StringBuilder b = new StringBuilder();
    while (p < s.length()) {
      char c = s.charAt(p++);
      if (c == '"') return b.toString();
      if (c != '\\') {
        b.append(c);
        continue;
      }
      char e = s.charAt(p++);
      switch (e) {
        case 'n': b.append('\n'); break;
        case 't': b.append('\t'); break;
        case 'r': b.append('\r'); break;
        case 'b': b.append('\b'); break;
        case 'f': b.append('\f'); break;
        case 'u':
          b.append((char) Integer.parseInt(s.substring(p, p + 4), 16));
          p += 4;
          break;
        default: b.append(e);
      }
    }
    return b.toString();
  }

  public static void main(String[] args) throws Exception {
    if (args.length != 2) {
      System.err.println("usage: LuceneIngest INDEX_DIR FILE.jsonl");
      System.exit(2);
    }
    long t0 = System.nanoTime();
    IndexWriterConfig cfg = new IndexWriterConfig(Version.LUCENE_4_10_4,
        new IndonesianAnalyzer(Version.LUCENE_4_10_4));
    cfg.setSimilarity(new BM25Similarity());
    cfg.setOpenMode(IndexWriterConfig.OpenMode.CREATE);
    long n = 0;
    try (IndexWriter w = new IndexWriter(FSDirectory.open(new File(args[0])), cfg);
         BufferedReader in = new BufferedReader(new InputStreamReader(
             new FileInputStream(args[1]), StandardCharsets.UTF_8), 1 << 20)) {
      String line;
      while ((line = in.readLine()) != null) {
        String id = field(line, "id"), title = field(line, "title"),
               body = field(line, "body");
        if (id == null) continue;
        Document d = new Document();
        d.add(new StringField("id", id, Field.Store.YES));
        d.add(new TextField("title", title == null ? "" : title, Field.Store.YES));
        d.add(new TextField("body", body == null ? "" : body, Field.Store.YES));
        w.addDocument(d);
        n++;
      }
      w.forceMerge(1);
    }
    double s = (System.nanoTime() - t0) / 1e9;
    System.out.printf("%d articles %.3f s %.1f articles/s%n", n, s, n / s);
  }
}
