/**
 * Resume: the resume token a welcome carries, the session records other nodes resume from, the
 * replay of missed pushes, and the hand-over of the answers a dropped session sent (so a retry is
 * answered, not applied again). The resume request runs on the new session's lane; a dropped
 * session's record is written on its lane's close, or once its last answer is in.
 */
package io.tickroom.server.resume;
