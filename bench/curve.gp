# The curve's plot (issue 16), from the TSV of bench/curve.sh:
#   gnuplot -e "tsv='docs/perf-curve.tsv'; out='docs/perf-curve.svg'; load='6 to 15'" bench/curve.gp
# load: the load average during the runs, for the title (the TSV's loadavg column).
if (!exists("load")) load = 'see the TSV'
if (!exists("tsv")) tsv = 'docs/perf-curve.tsv'
if (!exists("out")) out = 'docs/perf-curve.svg'
set terminal svg size 960,720 dynamic font "sans,12" background rgb "white"
set output out
set datafile separator "\t"
set datafile missing "-"
set key autotitle columnhead
set key top left box opaque
set grid
set xlabel "documents (thousands)"
set xrange [0:*]
set yrange [0:*]
set style data linespoints
set multiplot layout 2,2 title "pvd as the corpus grows (bench/curve.sh; 2 shared cores, load ".load.")"

set title "indexing, per document"
set ylabel "ms per document"
plot tsv using ($2/1000):5 title "CPU" pt 7, \
     '' using ($2/1000):6 title "wall" pt 5

set title "pvd-index peak RSS and index size"
set ylabel "MiB"
set y2label "index MiB"
set y2tics
set y2range [0:*]
set ytics nomirror
set yrange [0:300]    # the 250 MiB target inside the frame
plot tsv using ($2/1000):7 title "peak RSS (left)" pt 7, \
     250 with lines dt 2 lc rgb "red" title "RSS target 250 MiB", \
     '' using ($2/1000):8 axes x1y2 title "index size (right)" pt 5
unset y2label
unset y2tics
set ytics mirror
set yrange [0:*]

set title "pvd-search, one launch a query"
set ylabel "ms"
plot tsv using ($2/1000):9 title "p50" pt 7, \
     '' using ($2/1000):10 title "p99" pt 5

set title "pvd-searchd, 16 clients"
set ylabel "queries/s"
set y2label "p99 ms"
set y2tics
set y2range [0:*]
set ytics nomirror
plot tsv using ($2/1000):11 title "queries/s (left)" pt 7, \
     '' using ($2/1000):13 axes x1y2 title "p99 (right)" pt 5
unset multiplot
