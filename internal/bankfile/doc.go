// Package bankfile writes the payment files (代发文件) of the benefit payroll
// and reads the banks' return files (回盘文件), in the format of
// docs/bankfile.md: "|"-separated UTF-8 lines, a header, one line per
// payment, and a trailer with the count, the total and a SHA-256 of every
// byte before it.
//
// The package is pure: it reads and writes io.Reader, io.Writer and bytes.
// A payment file is streamed (Writer hashes as it goes and keeps no copy);
// a return file is read line by line and either accepted whole or refused
// with every Problem found, so nothing of a bad return is half-applied.
package bankfile
