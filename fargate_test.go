package cwlens

import "testing"

func TestNearestFargateSize(t *testing.T) {
	tests := []struct {
		cpu, mem int
		want     TaskSize
		wantErr  bool
	}{
		{256, 512, TaskSize{256, 512}, false},
		{256, 768, TaskSize{256, 1024}, false},  // 768 is not a size: next valid
		{256, 3000, TaskSize{512, 3072}, false}, // 0.25 vCPU tops out at 2 GiB
		{100, 100, TaskSize{256, 512}, false},
		{2048, 4096, TaskSize{2048, 4096}, false},
		{4096, 31000, TaskSize{8192, 32768}, false},
		{8192, 16385, TaskSize{8192, 20480}, false},
		{16384, 122880, TaskSize{16384, 122880}, false},
		{16384, 122881, TaskSize{}, true},
		{20000, 512, TaskSize{}, true},
	}
	for _, tt := range tests {
		got, err := NearestFargateSize(tt.cpu, tt.mem)
		if (err != nil) != tt.wantErr || got != tt.want {
			t.Errorf("NearestFargateSize(%d, %d) = %v, %v; want %v, err=%v", tt.cpu, tt.mem, got, err, tt.want, tt.wantErr)
		}
		if err == nil && !ValidFargateSize(got.CPUUnits, got.MemoryMiB) {
			t.Errorf("NearestFargateSize(%d, %d) = %v is not valid", tt.cpu, tt.mem, got)
		}
	}
}

func TestValidFargateSize(t *testing.T) {
	valid := [][2]int{{256, 512}, {256, 2048}, {512, 4096}, {1024, 8192}, {2048, 16384}, {4096, 30720}, {8192, 61440}, {16384, 32768}}
	invalid := [][2]int{{256, 768}, {256, 4096}, {512, 512}, {1024, 1024}, {8192, 18432}, {128, 512}, {3072, 8192}}
	for _, p := range valid {
		if !ValidFargateSize(p[0], p[1]) {
			t.Errorf("%v should be valid", p)
		}
	}
	for _, p := range invalid {
		if ValidFargateSize(p[0], p[1]) {
			t.Errorf("%v should be invalid", p)
		}
	}
	n := 0
	for _, c := range FargateCPUUnits() {
		n += len(FargateMemoryMiB(c))
	}
	// 3 + 4 + 7 + 13 + 23 + 12 + 12 sizes.
	if n != 74 {
		t.Errorf("got %d valid sizes, want 74", n)
	}
}
