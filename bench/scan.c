/*
 * The floor of `make bench`: read the same CSV bytes the contenders load and
 * count commas and line ends, one byte at a time, single-threaded. Nothing
 * that parses, validates or stores can be faster than this on the same
 * machine, so the other figures are read against it.
 *
 *     scan FILE...    prints "bytes commas lines" on one line
 *
 * Built by bench/run with `cc -O2`; deliberately plain: big read() calls
 * into one buffer and a simple loop, no memchr, no SIMD, no threads.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SCAN_BUF_LEN (1u << 20)

int main(int argc, char **argv)
{
    static unsigned char buf[SCAN_BUF_LEN];
    uint64_t bytes = 0, commas = 0, lines = 0;

    if (argc < 2) {
        fprintf(stderr, "usage: scan FILE...\n");
        return 2;
    }
    for (int i = 1; i < argc; i++) {
        int fd = open(argv[i], O_RDONLY);
        if (fd < 0) {
            fprintf(stderr, "scan: cannot open %s: %s\n", argv[i],
                    strerror(errno));
            return 1;
        }
        for (;;) {
            ssize_t n = read(fd, buf, sizeof(buf));
            if (n < 0) {
                if (errno == EINTR)
                    continue;
                fprintf(stderr, "scan: cannot read %s: %s\n", argv[i],
                        strerror(errno));
                close(fd);
                return 1;
            }
            if (n == 0)
                break;
            for (ssize_t j = 0; j < n; j++) {
                if (buf[j] == ',')
                    commas++;
                else if (buf[j] == '\n')
                    lines++;
            }
            bytes += (uint64_t)n;
        }
        close(fd);
    }
    printf("%llu %llu %llu\n", (unsigned long long)bytes,
           (unsigned long long)commas, (unsigned long long)lines);
    return 0;
}
