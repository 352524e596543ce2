package bench

import (
	"fmt"
	"html"
	"io"
	"math"
	"strings"
)

// chartFigures are the rows drawn in the chart.
var chartFigures = []string{figWrite, figRead, figList, figSession, figWriteHeavy, figReadHeavy, figBigList, figMemSession}

var palette = []string{"#4477aa", "#66ccee", "#228833", "#ccbb44", "#ee6677", "#aa3377", "#bbbbbb", "#222255", "#995500"}

// WriteSVG draws the ratios of the chart figures to the reference column as horizontal bars, one
// group per figure and one bar per system, with a line at 1 (the reference).
func (r *Results) WriteSVG(w io.Writer) error {
	var systems []string
	for _, s := range r.columns() {
		if s != r.Ref && r.inChart(s) {
			systems = append(systems, s)
		}
	}
	const (
		left, barArea, right = 250.0, 560.0, 60.0
		barH, barGap         = 10.0, 2.0
		groupGap, top        = 16.0, 56.0
	)
	xmax := 1.5
	for _, f := range chartFigures {
		for _, s := range systems {
			if v, ok := r.Ratio(f, s, r.Ref); ok && v > xmax {
				xmax = v
			}
		}
	}
	xmax = math.Min(math.Ceil(xmax*2)/2, 4)
	x := func(v float64) float64 { return left + barArea*math.Min(v, xmax)/xmax }
	groupH := float64(len(systems))*(barH+barGap) + groupGap
	legendH := 18.0 * float64((len(systems)+3)/4)
	height := top + groupH*float64(len(chartFigures)) + 30 + legendH
	width := left + barArea + right

	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%.0f" height="%.0f" viewBox="0 0 %.0f %.0f" font-family="sans-serif" font-size="11">`+"\n", width, height, width, height)
	fmt.Fprintf(&b, `<rect width="100%%" height="100%%" fill="white"/>`+"\n")
	fmt.Fprintf(&b, `<text x="10" y="20" font-size="14" font-weight="bold">Ratio to %s (1 = same; throughput: higher is better, memory: lower is better)</text>`+"\n", esc(r.Ref))
	fmt.Fprintf(&b, `<text x="10" y="38" fill="#555">%d × %s, %d conns × pipeline %d, median of %d rounds</text>`+"\n",
		r.Machine.CPUs, esc(r.Machine.CPU), r.Config.Conns, r.Config.Depth, r.Config.Rounds)
	bottom := top + groupH*float64(len(chartFigures))
	for t := 0.0; t <= xmax+1e-9; t += 0.5 {
		stroke := "#dddddd"
		if t == 1 {
			stroke = "#000000"
		}
		fmt.Fprintf(&b, `<line x1="%.1f" y1="%.0f" x2="%.1f" y2="%.0f" stroke="%s"/>`+"\n", x(t), top-6, x(t), bottom-groupGap+4, stroke)
		fmt.Fprintf(&b, `<text x="%.1f" y="%.0f" text-anchor="middle" fill="#555">%g×</text>`+"\n", x(t), bottom, t)
	}
	y := top
	for _, f := range chartFigures {
		fmt.Fprintf(&b, `<text x="%.0f" y="%.1f" text-anchor="end">%s</text>`+"\n", left-8, y+groupH/2-groupGap/2+4, esc(f))
		for i, s := range systems {
			v, ok := r.Ratio(f, s, r.Ref)
			if ok {
				fmt.Fprintf(&b, `<rect x="%.0f" y="%.1f" width="%.1f" height="%.0f" fill="%s"><title>%s: %s</title></rect>`+"\n",
					left, y, x(v)-left, barH, palette[i%len(palette)], esc(s), fmtRatio(v, true))
				fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" font-size="9" fill="#333">%s</text>`+"\n", x(v)+3, y+barH-1.5, fmtRatio(v, true))
			}
			y += barH + barGap
		}
		y += groupGap
	}
	y = bottom + 20
	for i, s := range systems {
		lx := 10 + float64(i%4)*200
		ly := y + 18*float64(i/4)
		fmt.Fprintf(&b, `<rect x="%.0f" y="%.0f" width="12" height="10" fill="%s"/><text x="%.0f" y="%.0f">%s</text>`+"\n",
			lx, ly, palette[i%len(palette)], lx+16, ly+9, esc(s))
	}
	b.WriteString("</svg>\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// inChart reports whether sys has a ratio on any chart figure (systems measured only by
// reclamation have none and get no empty slots).
func (r *Results) inChart(sys string) bool {
	for _, f := range chartFigures {
		if _, ok := r.Ratio(f, sys, r.Ref); ok {
			return true
		}
	}
	return false
}

func esc(s string) string { return html.EscapeString(s) }
