// Package hissim is a hospital information system (HIS) simulator and test
// client for the hospital interface, written from the interface document
// alone as an outside HIS vendor would: it builds and signs envelopes,
// posts them, and runs complete admission-to-settlement flows, one at a
// time (Flow) or many at once for load tests (Drive). Its only gongshang
// import is the envelope package his.
package hissim
