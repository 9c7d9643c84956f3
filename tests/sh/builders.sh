#!/bin/sh
# builders.sh — the corpus builders on small fixtures made here (no download):
# debian_docs on a LibreOffice help page, its index, an English page to drop,
# a Debian Reference chapter cut into sections, Mallard pages (one broken), a
# man page and a tiny hunspell dictionary; the JSONL it writes, the three
# query sets, determinism, and that `cari index` loads the corpus.
. "$(dirname "$0")/lib"
DD=$B/corpus/builders/debian_docs
F=$T_DIR/in
O=$T_DIR/out
mkdir -p "$F/lo/text/swriter/guide" "$F/lo/text/shared" "$F/debref" \
  "$F/gnome" "$F/man/man1" "$O"

if [ ! -x "$DD" ]; then
  echo "FAIL [built] $DD is missing (make builds it)" >&2
  T_FAIL=1
  report builders
  exit 1
fi

# ---- Fixtures ----------------------------------------------------------
# A dictionary in id_ID.dic's format: count, then word/FLAGS.
cat >"$F/id.dic" <<'EOF'
20
alat
atur/M0MkPa
baru/B0
berkas/M0
cetak/M0Pa
contoh
dasar/B0
dokumen
guna/B0MkDk
jaring/a0M0
ketik/D0M0
opsi
papan
pintas/a0
sisip/DkM0MkPa
sistem
tabel/DkMk
tampil/M0Mk
umum
EOF

# LibreOffice: bookmark leftovers straight in DisplayArea, a system switch
# (default Ctrl, not the Mac's Command), an application switch (Writer's
# case on a Writer page), related topics and the page chrome to drop.
cat >"$F/lo/text/swriter/guide/sisip.html" <<'EOF'
<!DOCTYPE html>
<html lang="id"><head><title>Menyisipkan Tabel Baru</title>
<script>var x = "skrip";</script></head>
<body>
<header id="TopLeftHeader"><p>LibreOffice 7.4 Bantuan</p></header>
<aside class="leftside"><div id="Index">Indeks</div></aside>
<div id="DisplayArea">
<a name="bm_id1"></a> <meta itemprop="keywords" content=" tabel, menyisipkan "> sisaan <meta itemprop="keywords" content=", sel ">
<h1 id="hd_1">Menyisipkan Tabel Baru</h1>
<p class="paragraph">Untuk menyisipkan   tabel, pilih menu yang ada di atas.</p>
<p>Tekan <span class="switchinline"><span hidden="true" class="MAC">Command</span><span hidden="true" id="defaulttext_1">Ctrl</span></span>+F12 untuk membuka dialog.</p>
<span class="switch"><span hidden="true" class="CALC"><p>Teks khusus Calc yang tidak tampil.</p></span><span hidden="true" class="WRITER"><p>Teks khusus Writer yang tampil di sini.</p></span></span>
<table><tr><td>Sel satu</td><td>Sel dua</td></tr></table>
<div class="relatedtopics"><p class="related">Topik Terkait</p><a href="x">Tautan lain</a></div>
</div>
<footer><p>This page is: /text/swriter/guide/sisip.xhp</p></footer>
</body></html>
EOF
cat >"$F/lo/text/swriter/guide/english.html" <<'EOF'
<html><head><title>Inserting New Tables</title></head><body>
<div id="DisplayArea"><h1>Inserting New Tables</h1>
<p>To insert a table, choose the menu at the top of the window.</p>
<p>You can also use the keyboard if the table is in the document.</p>
<p>Klik Oke.</p></div></body></html>
EOF
cat >"$F/lo/text/swriter/guide/umum.html" <<'EOF'
<html><head><title>Umum</title></head><body><div id="DisplayArea">
<h1>Umum</h1><p>Pengaturan umum untuk dokumen teks yang ada.</p></div></body></html>
EOF
for p in a b; do
  cat >"$F/lo/text/shared/$p.html" <<EOF
<html><head><title>Opsi Cetak Dokumen</title></head><body><div id="DisplayArea">
<p>Halaman $p tentang opsi untuk mencetak dokumen yang sama.</p></div></body></html>
EOF
done
# The index: a term on two pages (any case), an English term, a term on the
# dropped English page, JavaScript and HTML escapes and a ';' subterm.
cat >"$F/lo/bookmarks.js" <<'EOF'
var bookmarks = [
{url:"id/text/swriter/guide/sisip.html?DbPAR=WRITER#bm_id1", app:"WRITER", text:"tabel --  menyisipkan"},
{url:"id/text/swriter/guide/umum.html?DbPAR=WRITER#bm_id2", app:"WRITER", text:"Tabel -- Menyisipkan"},
{url:"id/text/swriter/guide/sisip.html?DbPAR=WRITER#bm_id1", app:"WRITER", text:"inserting tables"},
{url:"id/text/swriter/guide/english.html?DbPAR=WRITER#bm_id3", app:"WRITER", text:"tabel baru"},
{url:"id/text/swriter/guide/sisip.html?DbPAR=WRITER#bm_id1", app:"WRITER", text:"&#34;tabel&#34; \\ baru; sisip"},
];
EOF

# Debian Reference: XHTML with <a id/> anchors, a chapter, a section, a
# subsection holding a fourth-level one; navigation and contents to drop.
cat >"$F/debref/ch01.id.html" <<'EOF'
<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.1//EN" "http://www.w3.org/TR/xhtml11/DTD/xhtml11.dtd">
<html xmlns="http://www.w3.org/1999/xhtml"><head><title>Bab 1. Dasar-dasar sistem</title></head><body>
<div class="navheader"><table><tr><th>Navigasi atas</th></tr></table></div>
<div class="chapter"><div class="titlepage"><div><div><h1 class="title"><a id="_dasar"/>Bab 1. Dasar-dasar sistem</h1></div></div></div>
<div class="toc"><p><strong>Daftar Isi</strong></p><dl class="toc"><dt><span class="section"><a href="#_net">1.1. Pengaturan jaringan</a></span></dt></dl></div>
<p>Bab ini menjelaskan dasar-dasar sistem untuk pengguna baru.</p>
<div class="section"><div class="titlepage"><div><div><h2 class="title"><a id="_net"/>1.1. Pengaturan jaringan</h2></div></div></div>
<p>Jaringan diatur dengan berkas yang ada di direktori <code class="literal">/etc</code>.</p>
<div class="section"><div class="titlepage"><div><div><h3 class="title"><a id="_net_tools"/>1.1.1. Gunakan alat jaringan</h3></div></div></div>
<pre class="screen">$ ip addr
$ ip route</pre>
<div class="section"><div class="titlepage"><div><div><h4 class="title"><a id="_deep"/>1.1.1.1. Rincian</h4></div></div></div>
<p>Rincian yang lebih dalam tetap di bagian induk.</p></div>
</div></div></div>
<div class="navfooter"><p>Navigasi bawah</p></div></body></html>
EOF
cat >"$F/debref/index.id.html" <<'EOF'
<html><body><div class="book"><p>Daftar isi buku yang dilewati.</p></div></body></html>
EOF

# Mallard: info (only desc kept), keys, media fallback, comments, link
# lists, entities and CDATA; and a broken page.
cat >"$F/gnome/ketik.page" <<'EOF'
<?xml version="1.0" encoding="utf-8"?>
<page xmlns="http://projectmallard.org/1.0/" type="topic" id="ketik" xml:lang="id">
  <info>
    <link type="guide" xref="index"/>
    <credit type="author"><name>Penulis Contoh</name></credit>
    <title type="link" role="trail">Pintasan</title>
    <desc>Mengatur tombol pintas &amp; papan ketik.</desc>
  </info>
  <title>Mengatur pintasan papan ketik</title>
  <p>Anda dapat menekan <keyseq><key>Ctrl</key><key>F</key></keyseq> untuk mencari.</p>
  <media type="image" src="x.svg">English caption text</media>
  <comment><p>Catatan editor yang tidak tampil.</p></comment>
  <links type="topic"><title>Topik lain</title></links>
  <section id="lain"><title>Bagian lain</title>
    <p>Teks &lt;bagian&gt; &#x41;&#66; ini ada di dalam halaman.</p><![CDATA[data <mentah>]]>
  </section>
</page>
EOF
cat >"$F/gnome/rusak.page" <<'EOF'
<?xml version="1.0"?>
<page xmlns="http://projectmallard.org/1.0/"><title>Rusak</title><p>Tidak ditutup.</page>
EOF

# A man page: NAME line, font escapes, a macro definition, special
# characters, the po4a translators' note to drop; and an alias link.
cat >"$F/man/man1/contoh.1" <<'EOF'
.\" -*- coding: UTF-8 -*-
.TH CONTOH 1 "Mei 2024" "contoh 1.0" "Perintah Pengguna"
.de XX
isi makro yang dilewati
..
.SH NAMA
contoh \- menampilkan contoh berkas
.SH RINGKASAN
\fBcontoh\fP [\fI\,PILIHAN\/\fP]... \fI\,BERKAS\/\fP
.SH DESKRIPSI
Perintah ini menampilkan isi berkas \(lqcontoh\(rq ke layar.
.TP
\fB\-a\fR, \fB\-\-semua\fR
tampilkan semua baris
.SH TERJEMAHAN
Terjemahan bahasa Indonesia dibuat oleh seseorang.
EOF
ln -s contoh.1 "$F/man/man1/alias.1"

# ---- Run ---------------------------------------------------------------
run() {
  "$DD" --dic "$F/id.dic" --lo "$F/lo" --lo-url "https://lo.example/id/" \
    --debref "$F/debref" --debref-url "https://debref.example/" \
    --mallard "demo=$F/gnome" --man "$F/man" \
    --man-url "https://man.example/" "$1" >"$T_DIR/stdout" 2>"$T_DIR/stderr"
}
run "$O"
expect_eq run-exit $? 0
expect_has broken-page-named "$(cat "$T_DIR/stderr")" "rusak.page: line 2"
expect_has stats-demo "$(cat "$T_DIR/stdout")" "demo                      2      1        0      0      1"
expect_has stats-lo "$(cat "$T_DIR/stdout")" \
  "libreoffice-help          5      4        1      0      0"

J=$O/corpus.jsonl
# JSONL as one JSON array for sqlite3's JSON functions.
arr="json_each('[' || replace(trim(readfile('$J'), char(10)), char(10), ',') || ']')"
field() {
  sqlite3 :memory: "SELECT json_extract(value, '\$.$2') FROM $arr
                    WHERE json_extract(value, '\$.id') = '$1'"
}
expect_eq json-valid "$(sqlite3 :memory: "SELECT json_valid('[' || replace(trim(readfile('$J'), char(10)), char(10), ',') || ']')")" 1
expect_eq ids "$(sqlite3 :memory: "SELECT group_concat(json_extract(value, '\$.id'), ' ') FROM $arr")" \
  "debref:_dasar debref:_net debref:_net_tools gnome:demo/ketik lo:text/shared/a lo:text/shared/b lo:text/swriter/guide/sisip lo:text/swriter/guide/umum man:contoh.1"
expect_eq sorted "$(cut -c1-60 "$J" | sort -c 2>&1)" ""

# LibreOffice page.
P=lo:text/swriter/guide/sisip
expect_eq lo-title "$(field $P title)" "Menyisipkan Tabel Baru"
expect_eq lo-body "$(field $P body)" "Untuk menyisipkan tabel, pilih menu yang ada di atas.
Tekan Ctrl+F12 untuk membuka dialog.
Teks khusus Writer yang tampil di sini.
Sel satu
Sel dua"
expect_eq lo-url "$(field $P url)" "https://lo.example/id/text/swriter/guide/sisip.html"
expect_eq lo-tags "$(field $P tags)" '["libreoffice-help"]'
expect_has dropped-english "$(cat "$O/dropped.tsv")" \
  "lo:text/swriter/guide/english	english"

# Debian Reference: one article per section down to the third level.
expect_eq dr-chapter "$(field debref:_dasar title)|$(field debref:_dasar body)" \
  "Dasar-dasar sistem|Bab ini menjelaskan dasar-dasar sistem untuk pengguna baru."
expect_eq dr-section "$(field debref:_net title)|$(field debref:_net body)" \
  "Pengaturan jaringan|Jaringan diatur dengan berkas yang ada di direktori /etc."
expect_eq dr-sub "$(field debref:_net_tools body)" '$ ip addr
$ ip route
Rincian
Rincian yang lebih dalam tetap di bagian induk.'
expect_eq dr-url "$(field debref:_net url)" "https://debref.example/ch01.id.html#_net"

# Mallard.
P=gnome:demo/ketik
expect_eq mal-title "$(field $P title)" "Mengatur pintasan papan ketik"
expect_eq mal-body "$(field $P body)" "Mengatur tombol pintas & papan ketik.
Anda dapat menekan Ctrl+F untuk mencari.
Bagian lain
Teks <bagian> AB ini ada di dalam halaman.
data <mentah>"
expect_eq mal-tags "$(field $P tags)" '["demo"]'

# Man page.
P=man:contoh.1
expect_eq man-title "$(field $P title)" "contoh - menampilkan contoh berkas"
expect_eq man-body "$(field $P body)" "RINGKASAN
contoh [PILIHAN]... BERKAS
DESKRIPSI
Perintah ini menampilkan isi berkas “contoh” ke layar.
-a, --semua
tampilkan semua baris"
expect_eq man-url "$(field $P url)" "https://man.example/contoh.1.id.html"

# ---- Query sets ----------------------------------------------------------
expect_eq index-queries "$(cat "$O/queries.index.tsv")" 'idx-00001	"tabel" \ baru sisip
idx-00002	Tabel Menyisipkan'
expect_eq index-qrels "$(cat "$O/qrels.index.tsv")" "idx-00001	lo:text/swriter/guide/sisip	1
idx-00002	lo:text/swriter/guide/sisip	1
idx-00002	lo:text/swriter/guide/umum	1"
expect_has index-dropped "$(cat "$O/dropped.tsv")" "index-term-not-indonesian	0	0	inserting tables"
# Titles: unique, two content words, Indonesian ("Umum" and the shared
# "Opsi Cetak Dokumen" are not queries).
expect_eq title-queries "$(cat "$O/queries.title.tsv")" "ttl-00001	Dasar-dasar sistem
ttl-00002	Pengaturan jaringan
ttl-00003	Gunakan alat jaringan
ttl-00004	Mengatur pintasan papan ketik
ttl-00005	Menyisipkan Tabel Baru
ttl-00006	contoh - menampilkan contoh berkas"
expect_eq title-qrels "$(cut -f2 "$O/qrels.title.tsv" | tr '\n' ' ')" \
  "debref:_dasar debref:_net debref:_net_tools gnome:demo/ketik lo:text/swriter/guide/sisip man:contoh.1 "
# Root forms: meN- verb to the root, peN-an and -an nouns to the root,
# meN-kan to the imperative, a bare imperative to meN-...-kan; a title with
# no affixed word (Dasar-dasar sistem) is not a query.
expect_eq rootform-queries "$(cat "$O/queries.rootform.tsv")" "rf-00001	atur jaring
rf-00002	menggunakan alat jaring
rf-00003	atur pintas papan ketik
rf-00004	sisipkan tabel baru
rf-00005	contoh - tampilkan contoh berkas"
expect_eq rootform-qrels "$(cut -f1,2 "$O/qrels.rootform.tsv" | tr '\n\t' ' :')" \
  "rf-00001:debref:_net rf-00002:debref:_net_tools rf-00003:gnome:demo/ketik rf-00004:lo:text/swriter/guide/sisip rf-00005:man:contoh.1 "

# Deterministic: a second run writes the same bytes.
mkdir -p "$T_DIR/out2"
run "$T_DIR/out2"
same=yes
for f in corpus.jsonl queries.index.tsv qrels.index.tsv queries.title.tsv \
         qrels.title.tsv queries.rootform.tsv qrels.rootform.tsv dropped.tsv; do
  cmp -s "$O/$f" "$T_DIR/out2/$f" || same="no: $f"
done
expect_eq deterministic "$same" yes

# Usage errors.
"$DD" >/dev/null 2>&1; expect_eq no-outdir $? 2
"$DD" --bogus "$O" >/dev/null 2>&1; expect_eq bad-option $? 2
"$DD" --mallard nodir "$O" >/dev/null 2>&1; expect_eq bad-mallard $? 2
"$DD" --dic "$T_DIR/none.dic" "$O" >/dev/null 2>&1; expect_eq no-dic $? 1

# The corpus loads into cari.
"$CARI" index --db "$T_DIR/c.db" "$J" >/dev/null 2>"$T_DIR/ierr"
expect_eq cari-index $? 0
expect_eq cari-count "$("$CARI" check --db "$T_DIR/c.db")" \
  "ok: 9 articles, stemmer cari"

report builders
