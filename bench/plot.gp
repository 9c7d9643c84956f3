# bench/plot.gp — draws bench/results.svg from the plot data that
# `hotpath report` writes: one block per configuration, one row per scale:
#   1 articles  2-4 articles/s (median min max)  5-12 p50 ms of the bands
#   common middle rare two three morph phrase prefix  13 full-text index MB
#   14 articles per CPU second  15-16 p50 and p99 ms over every query
#   17 top-k tables MB (cari)
# NaN marks a missing figure (the "exhaustive" variants index nothing).
# Called by bench/run with datafile and outfile set.
set terminal svg size 1200,1300 dynamic font "sans,11"
set output outfile
stats datafile using 1 nooutput
n = STATS_blocks - 1  # the data ends with an empty block
set multiplot layout 4,2 title "cari hot path: growth with the collection (medians of the runs; bars: min-max)"
set logscale x
set xlabel "articles"
set key top left font ",9"
set grid
set title "indexing throughput, wall clock (final optimize included)"
set ylabel "articles/s"
plot for [i=0:n-1] datafile index i using 1:2:3:4 with yerrorlines title columnheader(1)
set title "indexing throughput, CPU time (robust on a shared machine)"
plot for [i=0:n-1] datafile index i using 1:14 with linespoints title columnheader(1)
set logscale y
set title "full-text index size (FTS5's own pages)"
set ylabel "MB"
plot for [i=0:n-1] datafile index i using 1:13 with linespoints title columnheader(1)
set ylabel "ms"
set title "query latency p50: common single words"
plot for [i=0:n-1] datafile index i using 1:5 with linespoints title columnheader(1)
set title "query latency p50: rare single words"
plot for [i=0:n-1] datafile index i using 1:7 with linespoints title columnheader(1)
set title "query latency p50: phrases"
plot for [i=0:n-1] datafile index i using 1:11 with linespoints title columnheader(1)
set title "query latency p50: every query of the set"
plot for [i=0:n-1] datafile index i using 1:15 with linespoints title columnheader(1)
set title "query latency p99: every query of the set"
plot for [i=0:n-1] datafile index i using 1:16 with linespoints title columnheader(1)
unset multiplot
