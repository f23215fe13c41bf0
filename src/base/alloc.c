/*
 * The project's allocator. A counter lets tests make the Nth allocation
 * fail, the way SQLite's malloc tests and curl's torture mode do.
 */
#include <hedui/base.h>

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

/* Atomic because loads and readers allocate on several threads; relaxed
 * because only the count matters, not an order. */
static _Atomic long fail_at; /* 0: never fail */
static _Atomic bool fail_sticky;
static _Atomic long alloc_count;

void hd_alloc_fail_after(long n, bool sticky)
{
    fail_at = n;
    fail_sticky = sticky;
    alloc_count = 0;
}

long hd_alloc_count(void)
{
    return alloc_count;
}

static bool should_fail(void)
{
    long n = atomic_fetch_add_explicit(&alloc_count, 1, memory_order_relaxed);
    long at = atomic_load_explicit(&fail_at, memory_order_relaxed);

    n++;
    if (at == 0)
        return false;
    if (n == at)
        return true;
    return atomic_load_explicit(&fail_sticky, memory_order_relaxed) && n > at;
}

void *hd_malloc(size_t size)
{
    if (should_fail())
        return NULL;
    return malloc(size ? size : 1);
}

void *hd_calloc(size_t count, size_t size)
{
    if (should_fail())
        return NULL;
    return calloc(count ? count : 1, size ? size : 1);
}

void *hd_realloc(void *ptr, size_t size)
{
    if (should_fail())
        return NULL;
    return realloc(ptr, size ? size : 1);
}

void hd_free(void *ptr)
{
    free(ptr);
}

char *hd_strndup(const char *s, size_t len)
{
    char *copy = hd_malloc(len + 1);
    if (!copy)
        return NULL;
    memcpy(copy, s, len);
    copy[len] = '\0';
    return copy;
}

char *hd_strdup(const char *s)
{
    return hd_strndup(s, strlen(s));
}
