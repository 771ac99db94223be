package store

// SealEmployerPhones exposes the post-migration step to the tests.
var SealEmployerPhones = (*Store).sealEmployerPhones
