package store

// SealEmployerPhones exposes the post-migration step to the tests.
var SealEmployerPhones = (*Store).sealEmployerPhones

// SetEachBatch makes the streaming reads of s take n rows per statement,
// so a test sees several batches without thousands of rows.
func SetEachBatch(s *Store, n int) { s.eachBatch = n }
