// Package his is the hospital interface's envelope (联网结算接口): decoding
// a request, checking its signature headers, the transactions' inputs and
// outputs by infno, amounts and times in the national platform's shapes,
// and the Chinese err_msg texts. It is pure; the hisapi surface serves it.
package his
