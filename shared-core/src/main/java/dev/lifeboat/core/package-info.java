/** The backup service and its request/result records: the one API every front end calls. */
package dev.lifeboat.core;
