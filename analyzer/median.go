package analyzer

import (
	"math"
	"sort"
)

// medianOf returns the median of buf, reordering buf. It allocates nothing,
// which is why the hot path uses it instead of stats.Median (that one sorts a
// copy); outside the hot path the analyzer uses montanaflynn/stats.
func medianOf(buf []float64) float64 {
	n := len(buf)
	switch n {
	case 0:
		return math.NaN()
	case 1:
		return buf[0]
	case 2:
		return (buf[0] + buf[1]) / 2
	}
	if n <= 24 {
		insertionSort(buf)
	} else {
		sort.Float64s(buf)
	}
	if n%2 == 1 {
		return buf[n/2]
	}
	return (buf[n/2-1] + buf[n/2]) / 2
}

func insertionSort(a []float64) {
	for i := 1; i < len(a); i++ {
		v := a[i]
		j := i - 1
		for j >= 0 && a[j] > v {
			a[j+1] = a[j]
			j--
		}
		a[j+1] = v
	}
}

// slidingMedian keeps the last w values it was given in sorted order, so the
// median of a moving window costs a binary search and a short memmove per
// point instead of a sort.
type slidingMedian struct {
	w      int
	ring   []float64 // insertion order, len ≤ w
	head   int       // index of the oldest value in ring once full
	sorted []float64
}

func (m *slidingMedian) reset(w int) {
	m.w = w
	m.ring = m.ring[:0]
	m.sorted = m.sorted[:0]
	m.head = 0
}

func (m *slidingMedian) len() int { return len(m.sorted) }

func (m *slidingMedian) push(v float64) {
	if len(m.ring) < m.w {
		m.ring = append(m.ring, v)
		j := len(m.sorted)
		if j > 64 {
			j = sort.SearchFloat64s(m.sorted, v)
		}
		m.sorted = append(m.sorted, v)
		copy(m.sorted[j+1:], m.sorted[j:len(m.sorted)-1])
		m.sorted[j] = v
		m.sift(j) // a no-op after the search; orders short windows
		return
	}
	old := m.ring[m.head]
	m.ring[m.head] = v
	m.head++
	if m.head == m.w {
		m.head = 0
	}
	// overwrite the oldest value in place and move the new one to its
	// rank: windows are short, so a linear walk beats a binary search
	var i int
	if len(m.sorted) > 64 {
		i = sort.SearchFloat64s(m.sorted, old)
	} else {
		for i < len(m.sorted) && m.sorted[i] != old {
			i++
		}
	}
	if i == len(m.sorted) {
		i-- // unreachable: old is in the window
	}
	if len(m.sorted) <= 64 {
		m.sorted[i] = v
		m.sift(i)
		return
	}
	// long windows (a day of residuals at one minute): find the new
	// value's rank by binary search and move the values between with one
	// copy instead of swapping them one by one
	a := m.sorted
	if j := sort.SearchFloat64s(a, v); j > i {
		copy(a[i:j-1], a[i+1:j])
		a[j-1] = v
	} else {
		copy(a[j+1:i+1], a[j:i])
		a[j] = v
	}
}

// sift moves sorted[i] left or right until the slice is sorted again.
func (m *slidingMedian) sift(i int) {
	a := m.sorted
	v := a[i]
	for i > 0 && a[i-1] > v {
		a[i] = a[i-1]
		i--
	}
	for i+1 < len(a) && a[i+1] < v {
		a[i] = a[i+1]
		i++
	}
	a[i] = v
}

func (m *slidingMedian) median() float64 {
	n := len(m.sorted)
	if n == 0 {
		return math.NaN()
	}
	if n%2 == 1 {
		return m.sorted[n/2]
	}
	return (m.sorted[n/2-1] + m.sorted[n/2]) / 2
}
