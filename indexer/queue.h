/*
 * queue.h: a bounded, blocking first-in first-out queue of pointers, to
 * pass work between pvd-index's threads with bounded memory.
 */
#ifndef PVD_QUEUE_H
#define PVD_QUEUE_H

#include <pthread.h>
#include <stddef.h>

typedef struct queue {
	void **v;
	size_t cap, head, n;
	pthread_mutex_t lock;
	pthread_cond_t not_empty, not_full;
} queue;

int queue_init(queue *q, size_t cap);
void queue_destroy(queue *q);
/* Blocks while the queue is full. */
void queue_push(queue *q, void *item);
/* Blocks while the queue is empty. */
void *queue_pop(queue *q);
/* Waits at most ms milliseconds; NULL when nothing came. */
void *queue_pop_timed(queue *q, int ms);

#endif
