/*
 * queue.c: a bounded blocking queue (mutex and two condition variables).
 */
#include <errno.h>
#include <stdlib.h>
#include <time.h>

#include "queue.h"

int
queue_init(queue *q, size_t cap)
{
	q->v = calloc(cap, sizeof *q->v);
	q->cap = cap;
	q->head = q->n = 0;
	if (!q->v)
		return -1;
	pthread_mutex_init(&q->lock, NULL);
	pthread_cond_init(&q->not_empty, NULL);
	pthread_cond_init(&q->not_full, NULL);
	return 0;
}

void
queue_destroy(queue *q)
{
	pthread_mutex_destroy(&q->lock);
	pthread_cond_destroy(&q->not_empty);
	pthread_cond_destroy(&q->not_full);
	free(q->v);
}

void
queue_push(queue *q, void *item)
{
	pthread_mutex_lock(&q->lock);
	while (q->n == q->cap)
		pthread_cond_wait(&q->not_full, &q->lock);
	q->v[(q->head + q->n++) % q->cap] = item;
	pthread_cond_signal(&q->not_empty);
	pthread_mutex_unlock(&q->lock);
}

static void *
take(queue *q)
{
	void *item = q->v[q->head];
	q->head = (q->head + 1) % q->cap;
	q->n--;
	pthread_cond_signal(&q->not_full);
	return item;
}

void *
queue_pop(queue *q)
{
	pthread_mutex_lock(&q->lock);
	while (q->n == 0)
		pthread_cond_wait(&q->not_empty, &q->lock);
	void *item = take(q);
	pthread_mutex_unlock(&q->lock);
	return item;
}

void *
queue_pop_timed(queue *q, int ms)
{
	struct timespec until;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_nsec += (long)ms * 1000000L;
	until.tv_sec += until.tv_nsec / 1000000000L;
	until.tv_nsec %= 1000000000L;
	pthread_mutex_lock(&q->lock);
	int rc = 0;
	while (q->n == 0 && rc != ETIMEDOUT)
		rc = pthread_cond_timedwait(&q->not_empty, &q->lock, &until);
	void *item = q->n ? take(q) : NULL;
	pthread_mutex_unlock(&q->lock);
	return item;
}
