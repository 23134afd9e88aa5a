package cur

// SetChunkLimit lowers the column chunk limit of b for a test.
func (b *Bill) SetChunkLimit(n int64) { b.chunkLimit = n }
